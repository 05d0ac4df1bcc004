import Fabric

/// Everything the rewriter decides, as values. Frame-level decisions are `.forward`; the others
/// explain changes to the connection table and the event hooks (RW-15).
public enum RewriterDecision: Sendable, Hashable {
    /// The frame's fate (always exactly one per frame received).
    case forward(ForwardRecord)
    /// A connection's offset changed (RW-11.1 parks the ISN, RW-9.1 completes it; in corrected
    /// profiles also RW-7 for guest-initiated connections and RW-8/RW-11.2 clearing stale values).
    case offsetLearned(key: ConnectionKey, from: UInt32, to: UInt32, rule: RewriterRule)
    /// The guest's ISN was recorded in its own field (corrected profiles only).
    case isnRecorded(key: ConnectionKey, isn: UInt32, rule: RewriterRule)
    /// A connection's state changed.
    case stateChanged(key: ConnectionKey, from: RewriterTCPState, to: RewriterTCPState, rule: RewriterRule)
    /// fin_ack_seq recorded (RW-11.4).
    case finAckSeqRecorded(key: ConnectionKey, value: UInt32)
    /// A connection was removed from the table.
    case entryRemoved(key: ConnectionKey, rule: RewriterRule)
    /// P-5: the table was cleared before a new key was inserted.
    case tableReset(droppedEntries: Int)
    /// RW-15 checkpoint: every offset set to zero (states kept).
    case checkpoint(entries: Int, offsetsReset: Int, pendingISNsCleared: Int)
    /// RW-15 failover: entered only if no offset is non-zero.
    case failover(entered: Bool, nonZeroOffsets: Int)

    /// Stable short token for JSON and counters.
    public var token: String {
        switch self {
        case .forward: "forward"
        case .offsetLearned: "offset_learned"
        case .isnRecorded: "isn_recorded"
        case .stateChanged: "state"
        case .finAckSeqRecorded: "fin_ack_seq"
        case .entryRemoved: "entry_removed"
        case .tableReset: "table_reset"
        case .checkpoint: "checkpoint"
        case .failover: "failover"
        }
    }
}
