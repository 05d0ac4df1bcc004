import Testing
import Fabric
import Primary
import QEMUHarness

/// The colo-compare catalogue (`DifferentialCases.compare`: TCP resegmentation, ack gate, pure
/// ACKs, retransmissions, sequence wrap, UDP, ICMP, other protocols, unparseable frames, queue
/// limits, vnet headers, notify_dev DO_CHECKPOINT requests and COLO_CHECKPOINT flushes, seeded
/// random streams) played step by step by one socket driver (the QEMU oracle's) against
/// `lockstep serve` started with QEMU's arguments, compared with QEMU 7.2 and with the engine.
@Suite("differential: lockstep serve vs QEMU 7.2 and vs the engine, over sockets")
struct ServeDifferentialTests {
    @Test("C-*: lockstep serve gives the engine's transcript for every catalogue case",
          .enabled(if: ServeBinary.path != nil, Comment(rawValue: ServeBinary.notFound)),
          arguments: DifferentialCases.compare)
    func serveMatchesEngine(_ testCase: CompareCase) throws {
        let served = try testCase.run(program: CompareProgram.lockstep.oracleProgram())
        // `lockstep serve` runs `upstream` unless told otherwise.
        var engine = EngineCompareStepper(testCase, profile: .upstream)
        let expected = try testCase.run(on: &engine)
        if let difference = served.firstDifference(from: expected) {
            Issue.record("\(testCase.name) (rules \(testCase.rules.joined(separator: ", "))): lockstep serve differs from the engine at \(difference)")
        }
    }

    @Test("C-*: lockstep serve gives QEMU 7.2's transcript for every catalogue case (outdev records and notify messages, step by step)",
          .enabled(if: QEMULocator.oracleTestsEnabled, Comment(rawValue: QEMULocator.skipMessage)),
          .enabled(if: ServeBinary.path != nil, Comment(rawValue: ServeBinary.notFound)),
          arguments: DifferentialCases.compare)
    func serveMatchesQEMU(_ testCase: CompareCase) throws {
        let qemu = try testCase.run(program: CompareProgram.qemu.oracleProgram())
        let served = try testCase.run(program: CompareProgram.lockstep.oracleProgram())
        #expect(served.outputs.count == testCase.steps.count)
        if let difference = served.firstDifference(from: qemu) {
            Issue.record("""
                \(testCase.name) (rules \(testCase.rules.joined(separator: ", "))): lockstep serve differs from QEMU at \(difference)
                QEMU:
                \(qemu)
                """)
        }
    }
}
