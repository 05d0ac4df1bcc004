import Fabric

/// A tiny writer for one-line JSON objects whose keys keep the order they are added in.
struct JSONLine {
    private var fields: [String] = []

    mutating func add(_ key: String, _ value: String?) {
        fields.append(Self.quote(key) + ":" + (value.map(Self.quote) ?? "null"))
    }

    mutating func add(_ key: String, _ value: Int) { fields.append(Self.quote(key) + ":" + String(value)) }
    mutating func add(_ key: String, _ value: Int64) { fields.append(Self.quote(key) + ":" + String(value)) }
    mutating func add(_ key: String, _ value: UInt32) { fields.append(Self.quote(key) + ":" + String(value)) }
    mutating func add(_ key: String, _ value: UInt16) { fields.append(Self.quote(key) + ":" + String(value)) }
    mutating func add(_ key: String, _ value: Bool) { fields.append(Self.quote(key) + ":" + (value ? "true" : "false")) }

    /// A value that is already JSON (an object, an array, or `null`).
    mutating func add(_ key: String, raw: String?) {
        fields.append(Self.quote(key) + ":" + (raw ?? "null"))
    }

    var text: String { "{" + fields.joined(separator: ",") + "}" }

    static func quote(_ text: String) -> String { JSONString.quote(text) }
}
