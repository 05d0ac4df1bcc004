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

    public static func quote(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
