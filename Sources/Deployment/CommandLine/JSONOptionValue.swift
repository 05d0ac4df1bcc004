/// QEMU's JSON form of an option value (`-object {"qom-type":"iothread","id":"io"}`), accepted by
/// `-object`, `-netdev` and `-device` when the value starts with `{`. Values keep their JSON type:
/// QEMU checks it against the property's (a string "off" is not a boolean).
public indirect enum JSONOptionValue: Sendable, Hashable {
    case object([(key: String, value: JSONOptionValue)])
    case array([JSONOptionValue])
    case string(String)
    /// The number as written (QEMU distinguishes integers and doubles by spelling).
    case number(String)
    case bool(Bool)
    case null

    public static func == (lhs: JSONOptionValue, rhs: JSONOptionValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let a), .array(let b)): a == b
        case (.string(let a), .string(let b)), (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .object(let members):
            hasher.combine(0)
            for member in members {
                hasher.combine(member.key)
                hasher.combine(member.value)
            }
        case .array(let items): hasher.combine(1); hasher.combine(items)
        case .string(let text): hasher.combine(2); hasher.combine(text)
        case .number(let text): hasher.combine(3); hasher.combine(text)
        case .bool(let flag): hasher.combine(4); hasher.combine(flag)
        case .null: hasher.combine(5)
        }
    }

    /// The JSON type as QEMU's messages name it.
    public var typeName: String {
        switch self {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .number: "number"
        case .bool: "boolean"
        case .null: "null"
        }
    }
}

/// Why a JSON value cannot be read, worded as QEMU 7.2 words it.
public struct JSONOptionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// QEMU's text, e.g. "JSON parse error, premature EOI".
    public var qemuMessage: String
    /// Character offset in the value where reading stopped.
    public var offset: Int

    public var description: String { "\(qemuMessage) (at character \(offset + 1))" }
}

/// A small JSON reader with QEMU's extensions (single-quoted strings) and its error words. It
/// stops at a nesting depth of 64 so hostile input cannot exhaust the stack.
public struct JSONOptionParser {
    private let characters: [Character]
    private var position = 0
    private static let maximumDepth = 64

    public static func parse(_ text: String) throws(JSONOptionError) -> JSONOptionValue {
        var parser = JSONOptionParser(characters: Array(text))
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.position == parser.characters.count else {
            throw JSONOptionError(qemuMessage: "Expecting at most one JSON value", offset: parser.position)
        }
        return value
    }

    private init(characters: [Character]) {
        self.characters = characters
    }

    private func failure(_ what: String) -> JSONOptionError {
        JSONOptionError(qemuMessage: "JSON parse error, " + what, offset: position)
    }

    private var endOfInput: JSONOptionError { failure("premature EOI") }

    private mutating func skipSpace() {
        while position < characters.count, characters[position].isWhitespace { position += 1 }
    }

    private mutating func value(depth: Int) throws(JSONOptionError) -> JSONOptionValue {
        guard depth < Self.maximumDepth else { throw failure("too many nested data structures") }
        skipSpace()
        guard position < characters.count else { throw endOfInput }
        switch characters[position] {
        case "{": return try object(depth: depth)
        case "[": return try array(depth: depth)
        case "\"", "'": return .string(try string())
        case "-", "0"..."9": return .number(number())
        default:
            for (word, value) in [("true", JSONOptionValue.bool(true)), ("false", .bool(false)), ("null", .null)] {
                let end = position + word.count
                if end <= characters.count, String(characters[position..<end]) == word {
                    position = end
                    return value
                }
            }
            throw failure("expecting value")
        }
    }

    private mutating func object(depth: Int) throws(JSONOptionError) -> JSONOptionValue {
        position += 1
        var members: [(key: String, value: JSONOptionValue)] = []
        skipSpace()
        if position < characters.count, characters[position] == "}" {
            position += 1
            return .object(members)
        }
        while true {
            skipSpace()
            guard position < characters.count else { throw endOfInput }
            guard characters[position] == "\"" || characters[position] == "'" else {
                throw failure("expecting value")
            }
            let key = try string()
            skipSpace()
            guard position < characters.count else { throw endOfInput }
            guard characters[position] == ":" else { throw failure("missing : in object pair") }
            position += 1
            let member = try value(depth: depth + 1)
            guard !members.contains(where: { $0.key == key }) else { throw failure("duplicate key") }
            members.append((key, member))
            skipSpace()
            guard position < characters.count else { throw endOfInput }
            if characters[position] == "," {
                position += 1
                continue
            }
            guard characters[position] == "}" else { throw failure("expected separator in dict") }
            position += 1
            return .object(members)
        }
    }

    private mutating func array(depth: Int) throws(JSONOptionError) -> JSONOptionValue {
        position += 1
        var items: [JSONOptionValue] = []
        skipSpace()
        if position < characters.count, characters[position] == "]" {
            position += 1
            return .array(items)
        }
        while true {
            items.append(try value(depth: depth + 1))
            skipSpace()
            guard position < characters.count else { throw endOfInput }
            if characters[position] == "," {
                position += 1
                continue
            }
            guard characters[position] == "]" else { throw failure("expected separator in list") }
            position += 1
            return .array(items)
        }
    }

    private mutating func string() throws(JSONOptionError) -> String {
        let quote = characters[position]
        position += 1
        var text = ""
        while position < characters.count {
            let character = characters[position]
            position += 1
            if character == quote { return text }
            guard character == "\\" else {
                text.append(character)
                continue
            }
            guard position < characters.count else { throw endOfInput }
            let escaped = characters[position]
            position += 1
            switch escaped {
            case "\"", "'", "\\", "/": text.append(escaped)
            case "b": text.append("\u{8}")
            case "f": text.append("\u{c}")
            case "n": text.append("\n")
            case "r": text.append("\r")
            case "t": text.append("\t")
            case "u":
                let end = position + 4
                guard end <= characters.count, let code = UInt32(String(characters[position..<end]), radix: 16),
                      let scalar = Unicode.Scalar(code)
                else { throw failure("invalid escape sequence in string") }
                text.unicodeScalars.append(scalar)
                position = end
            default:
                throw failure("invalid escape sequence in string")
            }
        }
        throw endOfInput
    }

    private mutating func number() -> String {
        let start = position
        while position < characters.count, "+-0123456789.eE".contains(characters[position]) { position += 1 }
        return String(characters[start..<position])
    }
}

extension JSONOptionValue {
    /// The members of a top-level object as key=value pairs, nested objects flattened with dots
    /// (`"addr": {"host": ...}` → `addr.host`), each keeping its JSON value for the type check.
    /// Nil when the value is not an object.
    func pairs() -> [ParsedKeyValue]? {
        guard case .object(let members) = self else { return nil }
        var pairs: [ParsedKeyValue] = []
        func add(_ members: [(key: String, value: JSONOptionValue)], prefix: String) {
            for member in members {
                let key = prefix + member.key
                if case .object(let nested) = member.value {
                    add(nested, prefix: key + ".")
                    continue
                }
                pairs.append(ParsedKeyValue(key: key, value: member.value.text, shortForm: false,
                                            written: "\"\(key)\": \(member.value.text)", json: member.value))
            }
        }
        add(members, prefix: "")
        return pairs
    }

    /// The value as the model keeps it: strings as they are, booleans on/off, numbers as written.
    var text: String {
        switch self {
        case .string(let text), .number(let text): text
        case .bool(let flag): flag ? "on" : "off"
        case .null: "null"
        case .array(let items): "[" + items.map(\.text).joined(separator: ",") + "]"
        case .object(let members): "{" + members.map { "\($0.key):\($0.value.text)" }.joined(separator: ",") + "}"
        }
    }
}
