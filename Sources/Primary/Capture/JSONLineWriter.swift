import Fabric

/// Builds one JSON object on one line, keys in the order they are added.
public struct JSONLineWriter {
    private var text = "{"
    private var first = true

    public init() {}

    public mutating func add(_ key: String, _ value: String) {
        addRaw(key, JSONLineWriter.quote(value))
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

    /// A nested object.
    public mutating func add(_ key: String, object: JSONLineWriter) {
        addRaw(key, object.line)
    }

    private mutating func addRaw(_ key: String, _ raw: String) {
        if !first { text += "," }
        first = false
        text += JSONLineWriter.quote(key) + ":" + raw
    }

    public var line: String { text + "}" }

    public static func quote(_ string: String) -> String { JSONString.quote(string) }
}
