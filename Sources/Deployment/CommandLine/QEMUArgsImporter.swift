import Fabric

/// Reads QEMU command lines into the topology model.
public enum QEMUArgsImporter {
    /// Reads one host's command line. Syntax problems become findings and the offending argument
    /// (or key) is left out; only text that cannot be split into words throws.
    public static func importHost(_ text: String, role: HostRole, version: QEMUVersion = .default) throws(QEMUArgsError) -> HostImport {
        let words: [ShellWord]
        do {
            words = try ShellWords.split(text)
        } catch {
            throw .shellSyntax(host: role, error)
        }
        return importHost(words: words, role: role, version: version)
    }

    public static func importHost(words: [ShellWord], role: HostRole, version: QEMUVersion = .default) -> HostImport {
        let commandLine = QEMUCommandLine(words: words, host: role, version: version)
        var importer = HostImporter(role: role, version: version, arguments: commandLine.arguments)
        importer.findings = commandLine.findings
        importer.read(commandLine.arguments)
        importer.checkReferencesAcrossArguments()
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
    public static func topology(primary: String, secondary: String, version: QEMUVersion = .default) throws(QEMUArgsError) -> Topology {
        let primaryImport = try importHost(primary, role: .primary, version: version)
        let secondaryImport = try importHost(secondary, role: .secondary, version: version)
        let topology = Topology(primary: primaryImport.configuration, secondary: secondaryImport.configuration)
        let refusals = (primaryImport.findings + secondaryImport.findings
            + QEMUValidation.findings(for: primaryImport, version: version)
            + QEMUValidation.findings(for: secondaryImport, version: version))
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
    let version: QEMUVersion
    var configuration = HostConfiguration()
    var sources = HostSourceMap()
    var findings: [LintFinding] = []
    /// Arguments already consumed as the tail of a split value (see `joinSplitValue`).
    var explainedStrays: [Int: String] = [:]
    /// Ids of every `-object` on the line with its type, for references QEMU resolves among
    /// all objects (a chardev's `tls-creds=`).
    let objectTypesByID: [String: String]
    /// Whether the line gives the guest a USB bus (`-usb`, or a USB host controller device).
    let hasUSBBus: Bool
    /// Chardev `tls-creds=` references to check once every object is known.
    var tlsReferences: [(id: String, location: ArgumentLocation)] = []
    /// Ids taken so far in each of QEMU's namespaces (devices: NICs and the rest alike).
    var deviceIDs: Set<String> = []
    var netdevIDs: Set<String> = []
    var chardevIDs: Set<String> = []
    var objectIDs: Set<String> = []
    /// Whether `-M`/`-machine` names a machine other than pc or q35, whose buses the bus checks
    /// do not know.
    let hasExplicitMachine: Bool

    init(role: HostRole, version: QEMUVersion, arguments: [QEMUArgument] = []) {
        self.role = role
        self.version = version
        var types: [String: String] = [:]
        var usb = false
        var otherMachine = false
        for argument in arguments {
            guard case .option(let name, let value) = argument.kind else { continue }
            if name == "usb" { usb = true }
            guard let value else { continue }
            if name == "machine" || name == "M" {
                let machine = KeyValueList.readAll(value, impliedKey: "type")
                let type = machine.value(for: "type") ?? ""
                otherMachine = !(type.isEmpty || type.hasPrefix("pc") || type.hasPrefix("q35"))
                if machine.value(for: "usb").flatMap(ValueParsing.bool) == true { usb = true }
                continue
            }
            let implied = name == "object" ? "qom-type" : name == "device" ? "driver" : nil
            guard let implied else { continue }
            let pairs = value.hasPrefix("{")
                ? ((try? JSONOptionParser.parse(value))?.pairs() ?? [])
                : KeyValueList.readAll(value, impliedKey: implied)
            let head = pairs.value(for: implied) ?? ""
            if name == "object", let id = pairs.id { types[id] = head }
            if name == "device", Self.usbHostControllers.contains(head) { usb = true }
        }
        objectTypesByID = types
        hasUSBBus = usb
        hasExplicitMachine = otherMachine
    }

    /// The x86 USB host controllers of 7.2 (`-device help`, bus PCI, "usb" in the name).
    static let usbHostControllers: Set<String> = [
        "qemu-xhci", "nec-usb-xhci", "usb-ehci", "ich9-usb-ehci1", "ich9-usb-ehci2", "ich9-usb-uhci1",
        "ich9-usb-uhci2", "ich9-usb-uhci3", "ich9-usb-uhci4", "ich9-usb-uhci5", "ich9-usb-uhci6",
        "piix3-usb-uhci", "piix4-usb-uhci", "pci-ohci", "vt82c686b-usb-uhci",
    ]

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
                    hint: "use -netdev TYPE,id=ID and -device MODEL,netdev=ID instead",
                    claim: .started(version: version))
            configuration.otherOptions.append(QEMUPassthroughOption(name: name, value: value))
        default:
            configuration.otherOptions.append(QEMUPassthroughOption(name: name, value: value))
        }
    }

    /// Checks that need the whole line: a chardev's TLS credentials may be defined by an
    /// `-object` written after it.
    mutating func checkReferencesAcrossArguments() {
        for (id, location) in tlsReferences where !(objectTypesByID[id]?.hasPrefix("tls-creds") ?? false) {
            finding(.chardevNotFound, at: location, key: "tls-creds",
                    message: "chardev socket tls-creds='\(Excerpt.short(id))' names no -object tls-creds-*: QEMU refuses the chardev",
                    hint: "add -object tls-creds-x509,id=\(Excerpt.short(id)),... or drop tls-creds",
                    claim: refused("No TLS credentials with id '\(id)'"))
        }
    }

    // MARK: Shared helpers

    mutating func finding(
        _ rule: LintRule,
        severity: LintSeverity? = nil,
        at location: ArgumentLocation?,
        key: String? = nil,
        message: String,
        hint: String? = nil,
        claim: QEMUClaim?
    ) {
        findings.append(LintFinding(rule, severity: severity, host: role, argument: location, key: key,
                                    message: message, hint: hint, claim: claim))
    }

    /// QEMU exits with `message`.
    func refused(_ message: String) -> QEMUClaim {
        .refused(message, version: version)
    }

    /// QEMU exits with a message matching `pattern`.
    func refused(matching pattern: String) -> QEMUClaim {
        QEMUClaim(.refused, .pattern(pattern), version: version)
    }

    /// An option's value as key=value pairs: QEMU's JSON form when it starts with `{` and the
    /// option takes JSON (`-object`, `-netdev`, `-device`), else the comma list. Empty keys and
    /// unreadable JSON are reported; nil means the argument is skipped.
    mutating func pairs(of value: String, impliedKey: String, option: String, acceptsJSON: Bool, at location: ArgumentLocation) -> [ParsedKeyValue]? {
        if acceptsJSON, value.hasPrefix("{") {
            return jsonPairs(of: value, option: option, at: location)
        }
        let pairs = KeyValueList.readAll(value, impliedKey: impliedKey)
        for empty in pairs where empty.key.isEmpty && !empty.written.isEmpty {
            finding(.invalidValue, at: location, key: "",
                    message: "-\(option) has an element '\(Excerpt.short(empty.written))' with an empty key: QEMU refuses a parameter with no name (\"Invalid parameter ''\"), or first names a required parameter this leaves missing",
                    hint: "write key=value, or remove the stray '='",
                    claim: refused("Invalid parameter ''"))
        }
        return pairs.filter { !$0.key.isEmpty || $0.written.isEmpty }
    }

    private mutating func jsonPairs(of value: String, option: String, at location: ArgumentLocation) -> [ParsedKeyValue]? {
        let parsed: JSONOptionValue
        do {
            parsed = try JSONOptionParser.parse(value)
        } catch {
            finding(.invalidValue, at: location,
                    message: "-\(option) value is not valid JSON: \(error)",
                    hint: "check the braces, quotes and commas (JSON has no trailing comma)",
                    claim: refused(error.qemuMessage))
            return nil
        }
        guard let pairs = parsed.pairs() else {
            finding(.invalidValue, at: location,
                    message: "-\(option) JSON value is a \(parsed.typeName), not an object",
                    hint: "write {\"key\": value, ...}",
                    claim: refused(matching: "Parameter '[a-z-]+' does not accept value|Invalid parameter type"))
            return nil
        }
        return pairs
    }

    /// One info finding per argument listing its short-form booleans among the keys QEMU
    /// accepts (`allowed`; nil when the importer does not know the type's keys).
    mutating func reportShortForms(_ pairs: [ParsedKeyValue], allowed: [String]?, at location: ArgumentLocation) {
        let short = pairs.filter { $0.shortForm && (allowed?.contains($0.key) ?? true) }
        guard let first = short.first else { return }
        let written = short.map { Excerpt.short($0.written) }.joined(separator: ", ")
        let long = short.map { "\(Excerpt.short($0.key))=\($0.value)" }.joined(separator: ",")
        finding(.shortFormBoolean, at: location, key: first.key,
                message: "short-form boolean \(written) is deprecated; QEMU 7.2 warns and reads it as \(long)",
                hint: "write \(long)",
                claim: .started(version: version, warning: "short-form boolean option '\(first.written)' deprecated"))
    }

    /// Findings of one kind per argument beyond which the rest are counted in one line, so a
    /// hostile argument with thousands of keys gives a readable report in bounded memory.
    static let findingsPerArgument = 8
}
