/// One argument of a QEMU command line: an option with its value, or a stray word.
public struct QEMUArgument: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// `-name value` or a flag; `name` is without dashes.
        case option(name: String, value: String?)
        /// A word that follows no option (QEMU takes it as a disk image).
        case stray(String)
    }

    public var kind: Kind
    public var location: ArgumentLocation

    public var optionName: String? {
        if case .option(let name, _) = kind { name } else { nil }
    }

    public var value: String? {
        if case .option(_, let value) = kind { value } else { nil }
    }
}

/// A command line split into QEMU arguments. Unknown options are reported (with the closest
/// known name) and, when the next word does not look like an option, that word is taken as their
/// value so one typo does not also produce a stray argument.
public struct QEMUCommandLine: Sendable, Hashable {
    /// The program word, when the text starts with one (`qemu-system-x86_64`, `/usr/bin/kvm`).
    public private(set) var programName: String?
    public private(set) var arguments: [QEMUArgument] = []
    public private(set) var findings: [LintFinding] = []

    public init(words: [ShellWord], host: HostRole? = nil, version: QEMUVersion = .default) {
        var position = 0
        var indexOffset = 1
        if let first = words.first, Self.looksLikeProgram(first.text) {
            programName = first.text
            position = 1
            indexOffset = 0
        }
        while position < words.count {
            let word = words[position]
            let index = position + indexOffset
            position += 1
            if let problem = Self.argvProblem(word.text) {
                findings.append(LintFinding(
                    .invalidValue, host: host,
                    argument: ArgumentLocation(index: index, line: word.line, text: word.text),
                    message: problem, hint: "check where this text came from"
                ))
            }
            guard let name = Self.optionName(word.text) else {
                let location = ArgumentLocation(index: index, line: word.line, text: word.text)
                arguments.append(QEMUArgument(kind: .stray(word.text), location: location))
                continue
            }
            if QEMUOptionTable.notForX86.contains(name) || QEMUOptionTable.xenOnly.contains(name) {
                let xen = QEMUOptionTable.xenOnly.contains(name)
                findings.append(LintFinding(
                    .unknownOption, severity: xen ? .warning : nil, host: host,
                    argument: ArgumentLocation(index: index, line: word.line, text: word.text),
                    message: xen
                        ? "\(word.text) needs a QEMU built with Xen; builds without it (Debian's 7.2) stop with 'Option not supported for this target'"
                        : "\(word.text) is an option of other targets (PowerPC, SPARC, Arm): qemu-system-x86_64 stops with 'Option not supported for this target'",
                    hint: "remove it",
                    claim: xen && version != .v7_2 ? nil : .refused("Option not supported for this target", version: version)
                ))
            }
            switch QEMUOptionTable.arity(of: name, in: version) {
            case .flag:
                let location = ArgumentLocation(index: index, line: word.line, text: word.text)
                arguments.append(QEMUArgument(kind: .option(name: name, value: nil), location: location))
            case .takesValue:
                guard position < words.count else {
                    let location = ArgumentLocation(index: index, line: word.line, text: word.text)
                    findings.append(LintFinding(
                        .invalidValue, host: host, argument: location,
                        message: "option \(word.text) needs a value but the command line ends",
                        hint: "give its value, or remove the option",
                        claim: .refused("\(word.text): requires an argument", version: version)
                    ))
                    continue
                }
                let value = words[position].text
                position += 1
                let location = ArgumentLocation(index: index, line: word.line, text: "\(word.text) \(value)")
                arguments.append(QEMUArgument(kind: .option(name: name, value: value), location: location))
            case .unknown:
                var text = word.text
                if position < words.count, Self.optionName(words[position].text) == nil {
                    text += " " + words[position].text
                    position += 1
                }
                let location = ArgumentLocation(index: index, line: word.line, text: text)
                let suggestion = ClosestName.suggestion(for: name, among: QEMUOptionTable.allNames(version))
                let note = QEMUOptionTable.versionNote(for: name, in: version).map { " (\($0))" } ?? ""
                findings.append(LintFinding(
                    .unknownOption, host: host, argument: location,
                    message: "\(version) has no option \(Excerpt.short(word.text))\(note): it stops with 'invalid option'",
                    hint: suggestion.map { "did you mean -\($0)?" } ?? "check the option name against qemu-system-x86_64 -help",
                    claim: .refused("\(word.text): invalid option", version: version)
                ))
            }
        }
    }

    /// Linux refuses an argv word over 128 KiB (MAX_ARG_STRLEN: execve fails with E2BIG), and a
    /// NUL byte ends a word wherever it stands.
    static func argvProblem(_ word: String) -> String? {
        let length = word.utf8.count
        if length > 131_072 {
            return "argument is \(length) bytes: Linux refuses a single argument over 131072 bytes, so QEMU cannot even be started (E2BIG)"
        }
        if word.utf8.contains(0) {
            return "argument contains a NUL byte: an argument ends at the first NUL, so QEMU would see only what comes before it"
        }
        return nil
    }

    /// `-opt` or `--opt` → `opt`; nil for words that are not options (including `-` alone).
    static func optionName(_ word: String) -> String? {
        guard word.hasPrefix("-"), word.count > 1 else { return nil }
        let name = word.hasPrefix("--") ? word.dropFirst(2) : word.dropFirst()
        return name.isEmpty ? nil : String(name)
    }

    private static func looksLikeProgram(_ word: String) -> Bool {
        guard !word.hasPrefix("-") else { return false }
        let base = word.split(separator: "/").last.map(String.init) ?? word
        return base.hasPrefix("qemu") || base == "kvm"
    }
}
