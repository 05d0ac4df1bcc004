/// `lockstep lint`: imports both command lines, applies QEMU's own checks and the COLO design
/// checks, and reports every finding with the argument it concerns.
public enum QEMUArgsLinter {
    /// Lints two command lines. Only text that cannot be split into words throws.
    public static func lint(primary: String, secondary: String, options: LintOptions = LintOptions()) throws(QEMUArgsError) -> LintReport {
        let primaryImport = try QEMUArgsImporter.importHost(primary, role: .primary, version: options.version)
        let secondaryImport = try QEMUArgsImporter.importHost(secondary, role: .secondary, version: options.version)
        return lint(primary: primaryImport, secondary: secondaryImport, options: options)
    }

    public static func lint(primary: HostImport, secondary: HostImport, options: LintOptions = LintOptions()) -> LintReport {
        let topology = Topology(primary: primary.configuration, secondary: secondary.configuration)
        let syntax = primary.findings + secondary.findings
        let primaryCheck = QEMUValidation.check(host: primary.configuration, role: .primary, sources: primary.sources, version: options.version)
        let secondaryCheck = QEMUValidation.check(host: secondary.configuration, role: .secondary, sources: secondary.sources, version: options.version)
        let validation = primaryCheck.findings + secondaryCheck.findings
        let context = LintContext(
            topology: topology,
            primarySources: primary.sources,
            secondarySources: secondary.sources,
            refused: (primaryCheck.refusedObjects, secondaryCheck.refusedObjects),
            options: options
        )
        var design = DesignChecks(context: context)
        let findings = design.run()
        return LintReport(findings: ordered(syntax + validation + findings), topology: topology, qemu: options.qemu)
    }

    /// Lints a topology that did not come from command lines (findings carry no argument).
    public static func lint(_ topology: Topology, options: LintOptions = LintOptions()) -> LintReport {
        let primaryCheck = QEMUValidation.check(host: topology.primary, role: .primary, sources: HostSourceMap(), includeParseChecks: true, version: options.version)
        let secondaryCheck = QEMUValidation.check(host: topology.secondary, role: .secondary, sources: HostSourceMap(), includeParseChecks: true, version: options.version)
        let validation = primaryCheck.findings + secondaryCheck.findings
        let context = LintContext(
            topology: topology,
            primarySources: HostSourceMap(),
            secondarySources: HostSourceMap(),
            refused: (primaryCheck.refusedObjects, secondaryCheck.refusedObjects),
            options: options
        )
        var design = DesignChecks(context: context)
        return LintReport(findings: ordered(validation + design.run()), topology: topology, qemu: options.qemu)
    }

    /// Primary first, then by argument index, then rule id; ties keep their production order.
    private static func ordered(_ findings: [LintFinding]) -> [LintFinding] {
        func hostRank(_ host: HostRole?) -> Int {
            switch host {
            case .primary: 0
            case .secondary: 1
            case nil: 2
            }
        }
        return findings.enumerated().sorted { left, right in
            let a = (hostRank(left.element.host), left.element.argument?.index ?? Int.max, left.element.rule.rawValue)
            let b = (hostRank(right.element.host), right.element.argument?.index ?? Int.max, right.element.rule.rawValue)
            if a != b { return a < b }
            return left.offset < right.offset
        }.map(\.element)
    }
}
