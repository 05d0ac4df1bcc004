extension BackendComparison {
    /// Both runs' verdicts, then the diff.
    public var text: String {
        var lines = ["scenario \(scenario.name): emulated \(emulated.passed ? "PASS" : "FAIL"), real QEMU \(real.passed ? "PASS" : "FAIL")"]
        for (label, outcome) in [("emulated", emulated), ("real QEMU", real)] {
            lines += outcome.errors.map { "  \(label): \($0)" }
            lines += outcome.lines.filter { $0.hasPrefix("FAIL") }.map { "  \(label): \($0)" }
        }
        if let diff { lines.append(diff.text) }
        if let note = scenario.realQEMU {
            lines.append("documented (real_qemu, \(note.cause.rawValue)): "
                + (note.differsIn.isEmpty ? "" : "differs in \(note.differsIn.joined(separator: ", ")): ") + note.note
                + (note.rule.map { " [\($0)" + (note.function.map { ", QEMU \($0)()" } ?? "") + "]" } ?? ""))
        }
        lines.append(matchesDocumentation ? "as documented" : "NOT AS DOCUMENTED: update the scenario's real_qemu note or fix the difference")
        return lines.joined(separator: "\n")
    }

    /// The runs agree as far as both went and the scenario documents no difference; or every
    /// track that diverges is one its `real_qemu:` note names, and at least one does. A
    /// difference documented as timing may also not show (the clocks may happen to line up).
    public var matchesDocumentation: Bool {
        guard let diff else { return false }
        let documented = scenario.realQEMU?.differsIn ?? []
        let diverging = diff.differences.filter { $0.verdict == .diverge }.map(\.track)
        guard diverging.allSatisfy({ track in documented.contains { track.hasPrefix($0) } }) else { return false }
        if documented.isEmpty || !diverging.isEmpty { return true }
        return scenario.realQEMU?.cause == .timing
    }
}
