/// The rewriter's simplified TCP state per connection (§8.2).
///
/// `timeWait` exists only in profiles that fix the active-close path (the `fixed` profile):
/// QEMU goes straight from FIN_WAIT_1 to CLOSED.
public enum RewriterTCPState: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case closed
    case synSent
    case synReceived
    case established
    case closeWait
    case lastAck
    case finWait1
    case timeWait

    /// Stable token for reports, spelled as in BSD/QEMU.
    public var token: String {
        switch self {
        case .closed: "CLOSED"
        case .synSent: "SYN_SENT"
        case .synReceived: "SYN_RECEIVED"
        case .established: "ESTABLISHED"
        case .closeWait: "CLOSE_WAIT"
        case .lastAck: "LAST_ACK"
        case .finWait1: "FIN_WAIT_1"
        case .timeWait: "TIME_WAIT"
        }
    }

    public var description: String { token }
}
