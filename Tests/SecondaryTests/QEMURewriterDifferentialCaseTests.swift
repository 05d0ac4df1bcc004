import Testing
import Fabric
import QEMUHarness

/// The rewriter differential catalogue, QEMU side only (see the compare counterpart).
@Suite("QEMU rewriter differential cases")
struct QEMURewriterDifferentialCaseTests {
    @Test("catalogue: names unique, seeded cases reproducible")
    func catalogueIsWellFormed() {
        let cases = DifferentialCases.rewriter
        #expect(Set(cases.map(\.name)).count == cases.count)
        #expect(cases == DifferentialCases.rewriter)
    }

    @Test(
        "RW-*: QEMU filter-rewriter transcript is reproducible and nothing reaches the wire",
        .enabled(if: QEMULocator.oracleTestsEnabled, Comment(rawValue: QEMULocator.skipMessage)),
        arguments: DifferentialCases.rewriter
    )
    func reproducible(_ testCase: RewriterCase) throws {
        let first = try testCase.runOnQEMU()
        let second = try testCase.runOnQEMU()
        #expect(first.outputs.count == testCase.steps.count)
        #expect(first.outputs.allSatisfy { $0.wire.isEmpty })
        if let difference = first.firstDifference(from: second) {
            Issue.record("two QEMU runs of \(testCase.name) differ at \(difference)\n\(first)")
        }
    }
}
