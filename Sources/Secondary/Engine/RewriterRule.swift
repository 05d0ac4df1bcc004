/// The rule that caused a state, offset or table change, named as in spec §8.
public enum RewriterRule: Sendable, Hashable, CaseIterable {
    /// Primary side: SYN+ACK in SYN_SENT → ESTABLISHED (and, when guest-initiated offsets are
    /// learned, the offset is completed here).
    case rw7
    /// Primary side: SYN-only → SYN_RECEIVED.
    case rw8
    /// Primary side: ACK-class in SYN_RECEIVED completes the offset → ESTABLISHED.
    case rw9_1
    /// Primary side: ack := ack + offset.
    case rw9_2
    /// Primary side: LAST_ACK and ack = fin_ack_seq + 1 → CLOSED, entry removed.
    case rw9_3
    /// Primary side: FIN in ESTABLISHED → CLOSE_WAIT.
    case rw10_1
    /// Primary side: FIN in FIN_WAIT_1 → CLOSED and removed (TIME_WAIT when fixed).
    case rw10_2
    /// Secondary side: SYN+ACK in SYN_RECEIVED records the guest's ISN.
    case rw11_1
    /// Secondary side: SYN-only → SYN_SENT.
    case rw11_2
    /// Secondary side: seq := seq − offset.
    case rw11_3
    /// Secondary side: FIN+ACK in CLOSE_WAIT → LAST_ACK, fin_ack_seq recorded.
    case rw11_4
    /// Secondary side: FIN (without ACK, unless fixed) in ESTABLISHED → FIN_WAIT_1.
    case rw11_5
    /// Fixed profile only: the guest's ACK-class segment in TIME_WAIT, once translated, ends
    /// the entry (QEMU has no TIME_WAIT).
    case fixedFinalAck
    /// P-5: the table held more than its limit when a new key arrived.
    case p5
    /// RW-15: checkpoint event.
    case rw15

    public var token: String {
        switch self {
        case .rw7: "RW-7"
        case .rw8: "RW-8"
        case .rw9_1: "RW-9.1"
        case .rw9_2: "RW-9.2"
        case .rw9_3: "RW-9.3"
        case .rw10_1: "RW-10.1"
        case .rw10_2: "RW-10.2"
        case .rw11_1: "RW-11.1"
        case .rw11_2: "RW-11.2"
        case .rw11_3: "RW-11.3"
        case .rw11_4: "RW-11.4"
        case .rw11_5: "RW-11.5"
        case .fixedFinalAck: "fixed-final-ack"
        case .p5: "P-5"
        case .rw15: "RW-15"
        }
    }
}
