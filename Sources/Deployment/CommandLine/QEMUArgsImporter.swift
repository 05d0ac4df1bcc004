import Fabric

/// Reads QEMU command lines into the topology model.
public enum QEMUArgsImporter {
    /// Reads one host's command line. Syntax problems become findings and the offending argument
    /// (or key) is left out; only text that cannot be split into words throws.
    public static func importHost(_ text: String, role: HostRole) throws(QEMUArgsError) -> HostImport {
        let words: [ShellWord]
        do {
            words = try ShellWords.split(text)
        } catch {
            throw .shellSyntax(host: role, error)
        }
        return importHost(words: words, role: role)
    }

    public static func importHost(words: [ShellWord], role: HostRole) -> HostImport {
        let commandLine = QEMUCommandLine(words: words, host: role)
        var importer = HostImporter(role: role)
        importer.findings = commandLine.findings
        importer.read(commandLine.arguments)
        importer.findings.sort { ($0.argument?.index ?? Int.max) < ($1.argument?.index ?? Int.max) }
        return HostImport(
            role: role,
            configuration: importer.configuration,
            sources: importer.sources,
            findings: importer.findings,
            commandLine: commandLine
        )
    }

    /// Reads both command lines and refuses them if QEMU would: any finding of a rule that QEMU
    /// enforces (syntax, F-1, M-2, R-2, C-1) throws. COLO design problems do not; see the lint.
    public static func topology(primary: String, secondary: String) throws(QEMUArgsError) -> Topology {
        let primaryImport = try importHost(primary, role: .primary)
        let secondaryImport = try importHost(secondary, role: .secondary)
        let topology = Topology(primary: primaryImport.configuration, secondary: secondaryImport.configuration)
        let refusals = (primaryImport.findings + secondaryImport.findings
            + QEMUValidation.findings(for: primaryImport)
            + QEMUValidation.findings(for: secondaryImport))
            .filter { $0.rule.isQEMURefusal && $0.severity == .error }
        guard refusals.isEmpty else {
            let hosts = Set(refusals.compactMap(\.host))
            throw .rejected(host: hosts.count == 1 ? hosts.first : nil, refusals)
        }
        return topology
    }
}

/// The state of reading one command line.
struct HostImporter {
    let role: HostRole
    var configuration = HostConfiguration()
    var sources = HostSourceMap()
    var findings: [LintFinding] = []
    /// Arguments already consumed as the tail of a split value (see `joinSplitValue`).
    var explainedStrays: [Int: String] = [:]

    init(role: HostRole) {
        self.role = role
    }

    mutating func read(_ arguments: [QEMUArgument]) {
        for (position, argument) in arguments.enumerated() {
            let next = arguments.indices.contains(position + 1) ? arguments[position + 1] : nil
            switch argument.kind {
            case .stray(let word):
                reportStray(word, at: argument.location)
            case .option(let name, let value):
                read(option: name, value: value, at: argument.location, next: next)
            }
        }
    }

    private mutating func read(option name: String, value: String?, at location: ArgumentLocation, next: QEMUArgument?) {
        guard let value else {
            configuration.otherOptions.append(QEMUPassthroughOption(name: name))
            return
        }
        switch name {
        case "netdev":
            readNetdev(value, at: location, next: next)
        case "device":
            readDevice(value, at: location, next: next)
        case "chardev":
            readChardev(value, at: location, next: next)
        case "object":
            readObject(value, at: location, next: next)
        case "net", "nic":
            finding(.legacyNetOption, at: location,
                    message: "-\(name) creates a backend without an id a filter could name",
                    hint: "use -netdev TYPE,id=ID and -device MODEL,netdev=ID instead")
            configuration.otherOptions.append(QEMUPassthroughOption(name: name, value: value))
        default:
            configuration.otherOptions.append(QEMUPassthroughOption(name: name, value: value))
        }
    }

    // MARK: Shared helpers

    mutating func finding(
        _ rule: LintRule,
        severity: LintSeverity? = nil,
        at location: ArgumentLocation?,
        key: String? = nil,
        message: String,
        hint: String? = nil
    ) {
        findings.append(LintFinding(rule, severity: severity, host: role, argument: location, key: key, message: message, hint: hint))
    }

    /// Splits the option value, reporting an empty key (the argument is then skipped).
    mutating func pairs(of value: String, impliedKey: String, option: String, at location: ArgumentLocation) -> [ParsedKeyValue]? {
        switch KeyValueList.parse(value, impliedKey: impliedKey) {
        case .failure(.emptyKey(let element)):
            finding(.invalidValue, at: location,
                    message: "-\(option) has an element '\(element)' with an empty key: QEMU refuses a parameter with no name",
                    hint: "write key=value, or remove the stray '='")
            return nil
        case .success(let pairs):
            return pairs
        }
    }

    /// One info finding per argument listing its short-form booleans among the keys QEMU
    /// accepts (`allowed`; nil when the importer does not know the type's keys).
    mutating func reportShortForms(_ pairs: [ParsedKeyValue], allowed: [String]?, at location: ArgumentLocation) {
        let short = pairs.filter { $0.shortForm && (allowed?.contains($0.key) ?? true) }
        guard !short.isEmpty else { return }
        let written = short.map(\.written).joined(separator: ", ")
        let long = short.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        finding(.shortFormBoolean, at: location, key: short.first?.key,
                message: "short-form boolean \(written) is deprecated; QEMU 7.2 warns and reads it as \(long)",
                hint: "write \(long)")
    }

    /// Reports keys not in `allowed`; returns whether any was unknown. An unknown short-form key
    /// followed by a stray word that completes a known key (`down` + `script=...`) is diagnosed
    /// as a value split by a space.
    mutating func checkKeys(
        _ pairs: [ParsedKeyValue],
        allowed: [String],
        what: String,
        at location: ArgumentLocation,
        next: QEMUArgument?,
        accepts: (String) -> Bool = { _ in false }
    ) {
        reportShortForms(pairs.filter { allowed.contains($0.key) || accepts($0.key) }, allowed: nil, at: location)
        for pair in pairs where !allowed.contains(pair.key) && !accepts(pair.key) {
            if pair.shortForm, pair == pairs.last, let joined = joinSplitValue(pair, next: next, allowed: allowed) {
                finding(.unknownParameter, at: location, key: pair.written,
                        message: "\(what) has no parameter '\(pair.written)': a space split '\(joined)' in two, so QEMU reads '\(pair.written)' as \(pair.written)=on and refuses it",
                        hint: "write \(joined) (no space)")
                continue
            }
            let suggestion = ClosestName.suggestion(for: pair.key, among: allowed)
            let shown = pair.shortForm ? "'\(pair.written)' (read as \(pair.key)=\(pair.value))" : "'\(pair.key)'"
            finding(.unknownParameter, at: location, key: pair.key,
                    message: "\(what) has no parameter \(shown): QEMU refuses it as an invalid parameter",
                    hint: suggestion.map { "did you mean \($0)?" } ?? "remove it; accepted: \(allowed.filter { $0 != "qom-type" && $0 != "type" && $0 != "backend" }.joined(separator: ", "))")
        }
    }

    private mutating func joinSplitValue(_ pair: ParsedKeyValue, next: QEMUArgument?, allowed: [String]) -> String? {
        guard let next, case .stray(let word) = next.kind, let equals = word.firstIndex(of: "=") else { return nil }
        let key = pair.written + word[..<equals]
        guard allowed.contains(key) else { return nil }
        let joined = key + word[equals...]
        explainedStrays[next.location.index] = joined
        return joined
    }

    private mutating func reportStray(_ word: String, at location: ArgumentLocation) {
        if let joined = explainedStrays[location.index] {
            finding(.strayArgument, at: location,
                    message: "'\(word)' belongs to no option: it is the tail of '\(joined)' cut off by a space, and QEMU would try to open it as a disk image",
                    hint: "join it to the previous argument: \(joined)")
            return
        }
        finding(.strayArgument, at: location,
                message: "'\(word)' follows no option, so QEMU takes it as a disk image and tries to open it",
                hint: word.contains("=") ? "a space probably split the previous option's value: join them" : "remove it, or give it an option such as -drive file=...")
    }

    /// Checks an id: present, well formed, unique among `existing`. Returns it if usable.
    mutating func checkID(
        _ id: String?,
        kind: String,
        existing: Bool,
        at location: ArgumentLocation
    ) -> String? {
        guard let id, !id.isEmpty else {
            finding(.missingParameter, at: location, key: "id",
                    message: "\(kind) has no id: QEMU refuses it (parameter 'id' is missing)",
                    hint: "add id=NAME")
            return nil
        }
        guard QEMUIdentifier.isWellFormed(id) else {
            finding(.invalidValue, at: location, key: "id",
                    message: "\(kind) id '\(id)' is not an identifier: it must start with a letter and use only letters, digits, '-', '.' and '_'",
                    hint: "rename it, e.g. \(Self.wellFormed(id))")
            return nil
        }
        guard !existing else {
            finding(.duplicateID, at: location, key: "id",
                    message: "\(kind) id '\(id)' is already used by an earlier \(kind): QEMU refuses the duplicate",
                    hint: "give each \(kind) its own id")
            return nil
        }
        return id
    }

    private static func wellFormed(_ id: String) -> String {
        let cleaned = String(id.unicodeScalars.filter { QEMUIdentifier.isWellFormed("a" + String($0)) })
        return QEMUIdentifier.isWellFormed(cleaned) ? cleaned : "x" + cleaned
    }

    /// Parses a boolean parameter, reporting a bad spelling.
    mutating func bool(_ pair: ParsedKeyValue, what: String, at location: ArgumentLocation) -> Bool? {
        guard let value = ValueParsing.bool(pair.value) else {
            finding(.invalidValue, at: location, key: pair.key,
                    message: "\(what) parameter \(pair.key)='\(pair.value)' is not a boolean: QEMU expects on or off",
                    hint: "write \(pair.key)=on or \(pair.key)=off")
            return nil
        }
        return value
    }

    mutating func uint32(_ pair: ParsedKeyValue, what: String, at location: ArgumentLocation) -> UInt32? {
        guard let value = ValueParsing.uint32(pair.value) else {
            finding(.invalidValue, at: location, key: pair.key,
                    message: "\(what) parameter \(pair.key)='\(pair.value)' is not an unsigned 32-bit number",
                    hint: "use a whole number from 0 to 4294967295")
            return nil
        }
        return value
    }
}
