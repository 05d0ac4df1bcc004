extension BackendComparison {
    /// Both runs' verdicts, then the diff.
    public var text: String {
        var lines = ["scenario \(scenario.name): emulated \(emulated.passed ? "PASS" : "FAIL"), real QEMU \(real.passed ? "PASS" : "FAIL")"]
        for (label, outcome) in [("emulated", emulated), ("real QEMU", real)] {
            lines += outcome.errors.map { "  \(label): \($0)" }
            lines += outcome.lines.filter { $0.hasPrefix("FAIL") }.map { "  \(label): \($0)" }
        }
        if let diff { lines.append(diff.text) }
        return lines.joined(separator: "\n")
    }

    /// The runs agree, or part where the scenario's `real_qemu:` note says they do.
    public var matchesDocumentation: Bool {
        guard let diff else { return false }
        return diff.agrees
    }
}
