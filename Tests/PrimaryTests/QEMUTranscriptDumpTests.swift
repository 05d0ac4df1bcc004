import Testing
import Fabric
import QEMUHarness

/// Prints every QEMU transcript of the catalogues when LOCKSTEP_DUMP_TRANSCRIPTS is set, and
/// reports the cost of a step; otherwise does nothing. A reading aid, not a check.
@Suite("QEMU transcript dump")
struct QEMUTranscriptDumpTests {
    static var dumpRequested: Bool { QEMULocator.environment("LOCKSTEP_DUMP_TRANSCRIPTS") != nil }

    @Test("dump compare and rewriter transcripts", .enabled(if: dumpRequested && QEMULocator.find() != nil))
    func dump() throws {
        for testCase in DifferentialCases.compare {
            print(try testCase.runOnQEMU())
        }
        for testCase in DifferentialCases.rewriter {
            print(try testCase.runOnQEMU())
        }
    }
}
