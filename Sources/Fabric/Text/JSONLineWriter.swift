/// Builds one JSON object on one line, keys in the order they are added: the one writer behind
/// every JSON-lines report (compare, rewrite, serve), so their spellings cannot drift apart.
public struct JSONLineWriter {
    private var text = "{"
    private var first = true

    public init() {}

    public mutating func add(_ key: String, _ value: String) {
        addRaw(key, JSONString.quote(value))
    }

    /// An optional string: `null` when absent.
    public mutating func add(_ key: String, _ value: String?) {
        addRaw(key, value.map(JSONString.quote) ?? "null")
    }

    public mutating func add(_ key: String, _ value: some BinaryInteger) {
        addRaw(key, String(value))
    }

    /// An optional integer: `null` when absent.
    public mutating func add(_ key: String, _ value: (some BinaryInteger)?) {
        addRaw(key, value.map { String($0) } ?? "null")
    }

    public mutating func add(_ key: String, _ value: Bool) {
        addRaw(key, value ? "true" : "false")
    }

    /// A non-finite number is written as `null`, which JSON has instead.
    public mutating func add(_ key: String, _ value: Double) {
        addRaw(key, value.isFinite ? String(value) : "null")
    }

    /// A nested object.
    public mutating func add(_ key: String, object: JSONLineWriter) {
        addRaw(key, object.line)
    }

    /// A value that is already JSON (an object, an array), or `null` when absent.
    public mutating func add(_ key: String, raw: String?) {
        addRaw(key, raw ?? "null")
    }

    /// An array of values that are already JSON.
    public mutating func add(_ key: String, array elements: [String]) {
        addRaw(key, "[" + elements.joined(separator: ",") + "]")
    }

    private mutating func addRaw(_ key: String, _ raw: String) {
        if !first { text += "," }
        first = false
        text += JSONString.quote(key) + ":" + raw
    }

    public var line: String { text + "}" }

    public static func quote(_ string: String) -> String { JSONString.quote(string) }
}
