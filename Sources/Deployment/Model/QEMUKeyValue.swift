/// One `key=value` element of a QEMU option list that the model does not interpret (a tap's
/// `script=`, a NIC's `bus=` ...). Kept in the order written so an export reproduces it.
public struct QEMUKeyValue: Sendable, Hashable, CustomStringConvertible {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }

    public var description: String { "\(key)=\(value)" }
}

extension Array where Element == QEMUKeyValue {
    /// The last value given for `key` (QEMU keeps the last of repeated keys).
    public func value(for key: String) -> String? {
        last(where: { $0.key == key })?.value
    }
}

/// A command-line option the model keeps only to reproduce it (`-m 2048`, `-enable-kvm` ...).
public struct QEMUPassthroughOption: Sendable, Hashable, CustomStringConvertible {
    /// The option name without dashes, e.g. `m`.
    public var name: String
    public var value: String?

    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }

    public var description: String {
        value.map { "-\(name) \($0)" } ?? "-\(name)"
    }
}
