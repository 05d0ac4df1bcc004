/// The direction of a filter walk, named relative to the netdev (F-2): `tx` is what the netdev
/// sends (host network → guest), `rx` is what is sent to the netdev (guest → host network).
public enum NetDirection: Sendable, Hashable, CustomStringConvertible {
    case tx
    case rx

    public var description: String {
        switch self {
        case .tx: "tx"
        case .rx: "rx"
        }
    }
}
