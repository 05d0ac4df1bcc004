/// The name of a scheduled event as it appears in the trace, e.g. `"pipe mirror0->red0 read"`.
///
/// The FNV-1a hash of the name is computed once, when the label is made, so the run loop can
/// fold each executed event into the trace hash without touching the string. Components should
/// build their labels once and reuse them.
public struct EventLabel: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let name: String
    public let hash: UInt64

    public init(_ name: String) {
        self.name = name
        hash = FNV1a64.hash(name)
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public var description: String { name }
}
