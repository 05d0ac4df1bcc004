import Fabric

/// The outcome of a lint run, with text and JSON renderings.
public struct LintReport: Sendable, Hashable {
    public var findings: [LintFinding]
    /// The topology as imported (with the faulty arguments or keys left out).
    public var topology: Topology
    /// The QEMU release the findings are true of, and why it was assumed.
    public var qemu: QEMUVersionChoice

    public init(findings: [LintFinding], topology: Topology, qemu: QEMUVersionChoice = .default) {
        self.findings = findings
        self.topology = topology
        self.qemu = qemu
    }

    public func count(_ severity: LintSeverity) -> Int {
        findings.filter { $0.severity == severity }.count
    }

    public var hasErrors: Bool { count(.error) > 0 }

    /// The distinct rules that fired, in id order.
    public var rules: [LintRule] {
        LintRule.allCases.filter { rule in findings.contains { $0.rule == rule } }
    }

    /// `primary arg 12 (line 7): error L019 compare-without-iothread: message`
    public static func headline(of finding: LintFinding) -> String {
        var place = finding.host?.rawValue ?? "both"
        if let argument = finding.argument {
            place += " arg \(argument.index) (line \(argument.line))"
        }
        return "\(place): \(finding.severity) \(finding.rule.id) \(finding.rule.name): \(finding.message)"
    }

    /// The line saying which QEMU the findings are about.
    public var versionLine: String { "checked against \(qemu)" }

    /// Findings of one rule the text output shows before counting the rest in one line; the
    /// JSON output has them all.
    public static let textFindingsPerRule = 50

    public func text() -> String {
        var lines: [String] = [versionLine]
        var shown: [LintRule: Int] = [:]
        for finding in findings {
            shown[finding.rule, default: 0] += 1
            guard shown[finding.rule, default: 0] <= Self.textFindingsPerRule else { continue }
            lines.append(Self.headline(of: finding))
            if let argument = finding.argument {
                lines.append("    " + argument.excerpt(around: finding.key))
            }
            if let hint = finding.hint {
                lines.append("    hint: \(hint)")
            }
            if let claim = finding.claim, claim.outcome != .started || claim.message != nil {
                lines.append("    qemu \(claim.version.rawValue): \(claim.outcome)" + (claim.message.map { ": " + Excerpt.words("\($0)") } ?? ""))
            }
        }
        for rule in LintRule.allCases {
            let count = shown[rule, default: 0]
            guard count > Self.textFindingsPerRule else { continue }
            lines.append("… \(count - Self.textFindingsPerRule) more \(rule) findings like these (--format json lists them all)")
        }
        let links = topology.links
        if !links.isEmpty {
            lines.append("pipes (server <- client):")
            for link in links.prefix(Self.textFindingsPerRule * 2) {
                lines.append("    \(Excerpt.words("\(link.server) <- \(link.client) via \(link.address)"))")
            }
            if links.count > Self.textFindingsPerRule * 2 {
                lines.append("    … \(links.count - Self.textFindingsPerRule * 2) more pipes")
            }
        }
        lines.append(summary)
        return lines.joined(separator: "\n") + "\n"
    }

    public var summary: String {
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        return "\(plural(count(.error), "error")), \(plural(count(.warning), "warning")), \(count(.info)) info"
    }

    /// A stable JSON document: keys in a fixed order, one finding per element. Arguments longer
    /// than `ArgumentLocation.excerptLimit` are quoted around the key concerned, with their
    /// length.
    public func json() -> String {
        var out = "{\n  \"qemu\": {\"version\": \(JSONString.quote(qemu.version.rawValue)), \"assumed\": \(JSONString.quote(qemu.reason))},\n"
        out += "  \"findings\": ["
        for (index, finding) in findings.enumerated() {
            out += index == 0 ? "\n" : ",\n"
            var fields: [(String, String)] = [
                ("rule", JSONString.quote(finding.rule.id)),
                ("name", JSONString.quote(finding.rule.name)),
                ("severity", JSONString.quote(finding.severity.rawValue)),
            ]
            if let host = finding.host { fields.append(("host", JSONString.quote(host.rawValue))) }
            if let argument = finding.argument {
                let excerpt = argument.excerpt(around: finding.key)
                let length = excerpt == argument.text ? "" : ", \"length\": \(argument.text.utf8.count)"
                fields.append(("argument", "{\"index\": \(argument.index), \"line\": \(argument.line), \"text\": \(JSONString.quote(excerpt))\(length)}"))
            }
            if let key = finding.key { fields.append(("key", JSONString.quote(key))) }
            fields.append(("message", JSONString.quote(finding.message)))
            if let hint = finding.hint { fields.append(("hint", JSONString.quote(hint))) }
            if let claim = finding.claim { fields.append(("qemu", claim.json())) }
            out += "    {" + fields.map { "\(JSONString.quote($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
        }
        out += findings.isEmpty ? "],\n" : "\n  ],\n"
        out += "  \"links\": ["
        for (index, link) in topology.links.enumerated() {
            out += index == 0 ? "\n" : ",\n"
            out += "    {\"server\": \(JSONString.quote(link.server.description)), \"client\": \(JSONString.quote(link.client.description)), \"address\": \(JSONString.quote(link.address.description))}"
        }
        out += topology.links.isEmpty ? "],\n" : "\n  ],\n"
        out += "  \"summary\": {\"errors\": \(count(.error)), \"warnings\": \(count(.warning)), \"info\": \(count(.info))}\n}\n"
        return out
    }
}
