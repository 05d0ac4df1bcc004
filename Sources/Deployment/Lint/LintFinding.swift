/// The command-line argument a finding concerns.
public struct ArgumentLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Position in argv: the program name is argument 0, the first option argument 1 (counted
    /// the same whether or not the text includes the program name).
    public var index: Int
    /// 1-based line of the source text where the argument starts.
    public var line: Int
    /// The option and its value as written, e.g. `-object filter-mirror,id=m0,...`.
    public var text: String

    public init(index: Int, line: Int, text: String) {
        self.index = index
        self.line = line
        self.text = text
    }

    public var description: String { "argument \(index) (line \(line)): \(text)" }
}

/// One thing the importer or the lint has to say.
public struct LintFinding: Sendable, Hashable {
    public var rule: LintRule
    public var severity: LintSeverity
    /// The host whose command line holds the argument; nil for findings about both.
    public var host: HostRole?
    public var argument: ArgumentLocation?
    /// The `key` of the key=value element concerned, if one.
    public var key: String?
    /// One line: what is wrong, in terms of what QEMU does.
    public var message: String
    /// One line: how to fix it.
    public var hint: String?
    /// What QEMU does with the argument, for a program to check (nil when the finding says
    /// nothing QEMU itself would show).
    public var claim: QEMUClaim?

    public init(
        _ rule: LintRule,
        severity: LintSeverity? = nil,
        host: HostRole?,
        argument: ArgumentLocation?,
        key: String? = nil,
        message: String,
        hint: String? = nil,
        claim: QEMUClaim? = nil
    ) {
        self.rule = rule
        self.severity = severity ?? rule.defaultSeverity
        self.host = host
        self.argument = argument
        self.key = key
        // Ids and values are the user's and may be any length: quoted shortened.
        self.message = Excerpt.words(message)
        self.hint = hint.map(Excerpt.words)
        self.claim = claim
    }
}

extension LintFinding: Codable {
    private enum CodingKeys: String, CodingKey {
        case rule, name, severity, host, argument, key, message, hint, qemu
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rule.id, forKey: .rule)
        try container.encode(rule.name, forKey: .name)
        try container.encode(severity, forKey: .severity)
        try container.encodeIfPresent(host, forKey: .host)
        try container.encodeIfPresent(argument, forKey: .argument)
        try container.encodeIfPresent(key, forKey: .key)
        try container.encode(message, forKey: .message)
        try container.encodeIfPresent(hint, forKey: .hint)
        try container.encodeIfPresent(claim, forKey: .qemu)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let id = try container.decode(String.self, forKey: .rule)
        guard let rule = LintRule(rawValue: id) else {
            throw DecodingError.dataCorruptedError(forKey: .rule, in: container, debugDescription: "unknown rule \(id)")
        }
        self.rule = rule
        severity = try container.decode(LintSeverity.self, forKey: .severity)
        host = try container.decodeIfPresent(HostRole.self, forKey: .host)
        argument = try container.decodeIfPresent(ArgumentLocation.self, forKey: .argument)
        key = try container.decodeIfPresent(String.self, forKey: .key)
        message = try container.decode(String.self, forKey: .message)
        hint = try container.decodeIfPresent(String.self, forKey: .hint)
        claim = try container.decodeIfPresent(QEMUClaim.self, forKey: .qemu)
    }
}
