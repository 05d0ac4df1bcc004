extension LintRule {
    /// `lockstep lint --list-rules`: one line per rule with its id, name, default severity and
    /// summary.
    public static var list: String {
        allCases.map { "\($0.id) \($0.name) [\($0.defaultSeverity)]: \($0.summary)" }.joined(separator: "\n")
    }
}
