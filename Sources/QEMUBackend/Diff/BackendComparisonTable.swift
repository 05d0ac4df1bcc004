import Foundation

/// `lockstep diff-backends DIR`: one row per scenario, printed as each finishes, then the
/// totals. The row says whether the two runs agree, agree as far as both went (a track cut by
/// time), or differ, whether that is what the scenario documents, and the first difference.
public enum BackendComparisonTable {
    public static let header = "verdict  doc  emu   real  wall     scenario: first difference"

    public static func row(_ comparison: BackendComparison, wall: Duration) -> String {
        let verdict = comparison.diff.map { $0.verdict == .agree ? "agree" : $0.verdict == .cut ? "cut" : "DIFFER" } ?? "ERROR"
        let documented = comparison.matchesDocumentation ? "ok" : "NO"
        let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        var line = pad(verdict, 9) + pad(documented, 5) + pad(comparison.emulated.passed ? "PASS" : "FAIL", 6)
            + pad(comparison.real.passed ? "PASS" : "FAIL", 6) + pad(String(format: "%.1fs", seconds), 9) + comparison.scenario.name
        if let first = comparison.diff?.firstDifference {
            line += ": \(first.track) #\(first.index + 1): emulated \(first.emulatedKey ?? "(none)"), real \(first.realKey ?? "(none)")"
        } else if let error = (comparison.real.errors + comparison.emulated.errors).first {
            line += ": \(error)"
        }
        return line
    }

    public static func totals(_ comparisons: [BackendComparison]) -> String {
        let verdicts = comparisons.compactMap { $0.diff?.verdict }
        let agree = verdicts.filter { $0 == .agree }.count
        let cut = verdicts.filter { $0 == .cut }.count
        let differ = verdicts.filter { $0 == .diverge }.count
        let undocumented = comparisons.filter { !$0.matchesDocumentation }.count
        return "\(comparisons.count) scenarios: \(agree) agree, \(cut) agree as far as both went, \(differ) differ, "
            + "\(comparisons.count - verdicts.count) could not run; \(undocumented) not as documented"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
