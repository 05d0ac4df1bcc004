import Foundation
import Testing
@testable import Scenarios

/// What `lockstep run FILE` and `lockstep test` print for scenario outcomes.
@Suite("Scenario outcome text")
struct ScenarioOutcomeTextTests {
    static var unreadable: ScenarioOutcome {
        var outcome = ScenarioOutcome(file: "broken.yaml", name: "broken")
        outcome.errors = ["broken.yaml:1:11: expected the duration as a duration with a unit"]
        return outcome
    }

    @Test("a scenario in full: its summary, every expectation line (here the errors), the verdict")
    func full() {
        #expect(ScenarioOutcomeText.full(Self.unreadable, summary: "shows nothing") == """
            scenario broken: shows nothing
            expectations:
              broken.yaml:1:11: expected the duration as a duration with a unit
            FAIL broken
            """)
    }

    @Test("a table row in the header's columns, the failing lines under it; the totals")
    func table() {
        let row = ScenarioOutcomeText.tableRow(Self.unreadable, wall: .milliseconds(250))
        #expect(row == """
            FAIL    -      -          0.25s    broken
                    broken.yaml:1:11: expected the duration as a duration with a unit
            """)
        #expect(ScenarioOutcomeText.tableHeader.firstRange(of: "scenario")?.lowerBound.utf16Offset(in: ScenarioOutcomeText.tableHeader) == 35)
        #expect(row.firstRange(of: "broken")?.lowerBound.utf16Offset(in: row) == 35)
        #expect(ScenarioOutcomeText.tableTotals([Self.unreadable, Self.unreadable]) == "0 passed, 2 failed")
    }

    @Test("a directory's scenario files, filtered by name")
    func filesFiltered() throws {
        let directory = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scenarios").path
        let all = try ScenarioRunner.files(in: directory)
        let failovers = try ScenarioRunner.files(in: directory, nameContaining: "failover")
        #expect(failovers.contains(directory + "/primary-failover.yaml"))
        #expect(!failovers.isEmpty && failovers.count < all.count)
        #expect(failovers.allSatisfy { URL(fileURLWithPath: $0).lastPathComponent.contains("failover") })
    }
}
