import Foundation

/// Scenario outcomes as text: one scenario in full (`lockstep run FILE`) or a table of many
/// (`lockstep test`), whose rows are printed as each scenario finishes.
public enum ScenarioOutcomeText {
    /// The scenario's summary, its run's report, every expectation and the verdict.
    public static func full(_ outcome: ScenarioOutcome, summary: String?) -> String {
        var lines: [String] = []
        if let summary { lines.append("scenario \(outcome.name): \(summary)") }
        if let report = outcome.report { lines.append(report.text) }
        lines.append("expectations:")
        lines += outcome.lines.map { "  " + $0 }
        lines.append(outcome.passed ? "PASS \(outcome.name)" : "FAIL \(outcome.name)")
        return lines.joined(separator: "\n")
    }

    public static let tableHeader = "result  ckpts  virtual    wall     scenario"

    /// The scenario's row (result, checkpoints, virtual end time, `wall`, name), then its
    /// failing expectations.
    public static func tableRow(_ outcome: ScenarioOutcome, wall: Duration) -> String {
        let checkpoints = outcome.report.map { String($0.checkpoints.count) } ?? "-"
        let virtual = outcome.report.map { String(format: "%.3fs", Double($0.endTime.nanoseconds) / 1e9) } ?? "-"
        let wallText = String(format: "%.2fs", Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18)
        var lines = ["\(pad(outcome.passed ? "PASS" : "FAIL", 8))\(pad(checkpoints, 7))\(pad(virtual, 11))\(pad(wallText, 9))\(outcome.name)"]
        if !outcome.passed {
            lines += outcome.lines.filter { !$0.hasPrefix("PASS") }.map { "        " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    public static func tableTotals(_ outcomes: [ScenarioOutcome]) -> String {
        let failed = outcomes.filter { !$0.passed }.count
        return "\(outcomes.count - failed) passed, \(failed) failed"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
