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

    public init(words: [ShellWord], host: HostRole? = nil) {
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
            guard let name = Self.optionName(word.text) else {
                let location = ArgumentLocation(index: index, line: word.line, text: word.text)
                arguments.append(QEMUArgument(kind: .stray(word.text), location: location))
                continue
            }
            switch QEMUOptionTable.arity(of: name) {
            case .flag:
                let location = ArgumentLocation(index: index, line: word.line, text: word.text)
                arguments.append(QEMUArgument(kind: .option(name: name, value: nil), location: location))
            case .takesValue:
                guard position < words.count else {
                    let location = ArgumentLocation(index: index, line: word.line, text: word.text)
                    findings.append(LintFinding(
                        .invalidValue, host: host, argument: location,
                        message: "option \(word.text) needs a value but the command line ends",
                        hint: "give its value, or remove the option"
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
                let suggestion = ClosestName.suggestion(for: name, among: QEMUOptionTable.allNames)
                findings.append(LintFinding(
                    .unknownOption, host: host, argument: location,
                    message: "QEMU has no option \(word.text): it stops with 'invalid option'",
                    hint: suggestion.map { "did you mean -\($0)?" } ?? "check the option name against qemu-system-x86_64 -help"
                ))
            }
        }
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
