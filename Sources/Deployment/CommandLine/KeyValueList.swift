/// One element of a `key=value,...` list as QEMU's option parser reads it.
public struct ParsedKeyValue: Sendable, Hashable {
    public var key: String
    public var value: String
    /// Written in the deprecated short form: `server` for server=on, `nowait` for wait=off.
    public var shortForm: Bool
    /// The element as written (for messages).
    public var written: String
    /// The typed value when the option was written in JSON; nil for key=value syntax, where
    /// every value is text.
    public var json: JSONOptionValue?

    public init(key: String, value: String, shortForm: Bool, written: String, json: JSONOptionValue? = nil) {
        self.key = key
        self.value = value
        self.shortForm = shortForm
        self.written = written
        self.json = json
    }
}

/// Why a key=value list cannot be read.
public enum KeyValueListError: Error, Sendable, Hashable {
    /// `=value` with nothing before the `=`.
    case emptyKey(element: String)
}

/// QEMU's comma-separated option syntax: `,,` is a literal comma, the first element may omit its
/// key (the "implied" key: `tap` in `-netdev tap,id=x` is `type=tap`), and an element without
/// `=` is the short form of a boolean (`server` = `server=on`, `nowait` = `wait=off`).
public enum KeyValueList {
    public static func parse(_ text: String, impliedKey: String?) -> Result<[ParsedKeyValue], KeyValueListError> {
        let pairs = readAll(text, impliedKey: impliedKey)
        if let empty = pairs.first(where: { $0.key.isEmpty && !$0.written.isEmpty }) {
            return .failure(.emptyKey(element: empty.written))
        }
        return .success(pairs)
    }

    /// Every element, an `=value` with an empty key included (key ""), for a reader that
    /// reports it and goes on, as QEMU reads the rest before refusing the empty name.
    public static func readAll(_ text: String, impliedKey: String?) -> [ParsedKeyValue] {
        var pairs: [ParsedKeyValue] = []
        for (position, element) in elements(of: text).enumerated() {
            if element.isEmpty {
                // A trailing comma is accepted; an empty implied value is reported by the caller.
                if position == 0, let impliedKey {
                    pairs.append(ParsedKeyValue(key: impliedKey, value: "", shortForm: false, written: ""))
                }
                continue
            }
            if let equals = element.firstIndex(of: "=") {
                let key = String(element[..<equals])
                let value = String(element[element.index(after: equals)...])
                pairs.append(ParsedKeyValue(key: key, value: value, shortForm: false, written: element))
            } else if position == 0, let impliedKey {
                pairs.append(ParsedKeyValue(key: impliedKey, value: element, shortForm: false, written: element))
            } else if element.hasPrefix("no"), element.count > 2 {
                pairs.append(ParsedKeyValue(key: String(element.dropFirst(2)), value: "off", shortForm: true, written: element))
            } else {
                pairs.append(ParsedKeyValue(key: element, value: "on", shortForm: true, written: element))
            }
        }
        return pairs
    }

    /// Splits at single commas; `,,` stands for one comma inside an element.
    static func elements(of text: String) -> [String] {
        var elements: [String] = []
        var current = ""
        var characters = text.makeIterator()
        var pending = characters.next()
        while let character = pending {
            pending = characters.next()
            if character == "," {
                if pending == "," {
                    current.append(",")
                    pending = characters.next()
                } else {
                    elements.append(current)
                    current = ""
                }
            } else {
                current.append(character)
            }
        }
        elements.append(current)
        return elements
    }

    /// Writes a value so `parse` reads it back: commas doubled.
    public static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            escaped.append(character)
            if character == "," { escaped.append(",") }
        }
        return escaped
    }
}
