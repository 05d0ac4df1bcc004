/// Builds one JSON object on one line, keys in the order they are added.
struct JSONLineWriter {
    private var text = "{"
    private var first = true

    mutating func add(_ key: String, _ value: String) {
        addRaw(key, JSONLineWriter.quote(value))
    }

    mutating func add(_ key: String, _ value: some BinaryInteger) {
        addRaw(key, String(value))
    }

    /// An optional integer: `null` when absent.
    mutating func add(_ key: String, _ value: (some BinaryInteger)?) {
        addRaw(key, value.map { String($0) } ?? "null")
    }

    mutating func add(_ key: String, _ value: Bool) {
        addRaw(key, value ? "true" : "false")
    }

    private mutating func addRaw(_ key: String, _ raw: String) {
        if !first { text += "," }
        first = false
        text += JSONLineWriter.quote(key) + ":" + raw
    }

    var line: String { text + "}" }

    static func quote(_ string: String) -> String {
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
