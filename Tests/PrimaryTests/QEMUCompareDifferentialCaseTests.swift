import Testing
import Fabric
import QEMUHarness

/// The compare differential catalogue, QEMU side only: every case runs on two fresh QEMUs
/// and must give identical transcripts, which shows that the step protocol captures QEMU's
/// decisions deterministically. The engine side will assert equality with these transcripts.
@Suite("QEMU compare differential cases")
struct QEMUCompareDifferentialCaseTests {
    @Test("catalogue: names unique, seeded cases reproducible, every case ends with a flush")
    func catalogueIsWellFormed() {
        let cases = DifferentialCases.compare
        #expect(Set(cases.map(\.name)).count == cases.count)
        #expect(cases == DifferentialCases.compare)
        for testCase in cases { #expect(testCase.steps.last == .checkpoint, "\(testCase.name)") }
    }

    @Test(
        "C-*: QEMU colo-compare transcript is reproducible",
        .enabled(if: QEMULocator.oracleTestsEnabled, Comment(rawValue: QEMULocator.skipMessage)),
        arguments: DifferentialCases.compare
    )
    func reproducible(_ testCase: CompareCase) throws {
        let first = try testCase.runOnQEMU()
        let second = try testCase.runOnQEMU()
        #expect(first.outputs.count == testCase.steps.count)
        if let difference = first.firstDifference(from: second) {
            Issue.record("two QEMU runs of \(testCase.name) differ at \(difference)\n\(first)")
        }
    }
}
