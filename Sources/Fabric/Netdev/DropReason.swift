/// Why the net core dropped a frame. Every drop is counted under one of these.
public enum DropReason: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// F-4: longer than 69 632 bytes; dropped before any filter, reported to the sender as sent.
    case oversize
    /// F-3: the sending client's link is down; reported as sent.
    case senderLinkDown
    /// F-3: the sending client has no peer; reported as sent.
    case senderHasNoPeer
    /// F-7: a filter re-injected a frame whose nominal sender is absent or has no peer.
    case noReceiverForInjection
    /// The receiving client's link is down: QEMU discards the frame at delivery.
    case receiverLinkDown
    /// The receiving endpoint returned an error for the frame.
    case receiverRefused
    /// F-12: the incoming queue already holds 10 000 frames and this one has no completion callback.
    case queueFull
    /// F-14: still undeliverable when the VM stopped, so purged.
    case purgedOnVMStop

    public var description: String {
        switch self {
        case .oversize: "frame longer than \(NetLimits.maxFrameSize) bytes (F-4)"
        case .senderLinkDown: "sender's link is down (F-3)"
        case .senderHasNoPeer: "sender has no peer (F-3)"
        case .noReceiverForInjection: "re-injected frame has no sender or the sender has no peer (F-7)"
        case .receiverLinkDown: "receiver's link is down"
        case .receiverRefused: "receiver refused the frame"
        case .queueFull: "incoming queue full (\(NetLimits.incomingQueueCapacity) frames, F-12)"
        case .purgedOnVMStop: "still queued when the VM stopped (F-14)"
        }
    }
}

/// Why a frame waits in a client's incoming queue instead of being delivered.
public enum QueueReason: String, Sendable, Hashable, CustomStringConvertible {
    /// F-12: the VM is not running, so nobody can send.
    case vmStopped
    /// F-12: the receiver reports it cannot receive, or stopped receiving after deferring a frame.
    case receiverCannotReceive
    /// F-12: the queue is in the middle of a delivery (re-entrant send).
    case deliveryInProgress
    /// The receiver said "not now" to this very frame.
    case receiverDeferred
    /// Corrected ordering profile only: older frames are still waiting, so this one goes behind them.
    case olderFramesWaiting

    public var description: String {
        switch self {
        case .vmStopped: "VM stopped"
        case .receiverCannotReceive: "receiver cannot receive"
        case .deliveryInProgress: "delivery in progress"
        case .receiverDeferred: "receiver deferred it"
        case .olderFramesWaiting: "older frames waiting"
        }
    }
}

/// Why a filter on the walk did not see the frame (F-5).
public enum FilterSkipReason: Sendable, Hashable, CustomStringConvertible {
    case statusOff
    /// The filter's queue= does not include this walk's direction.
    case queueMismatch(FilterQueue)

    public var description: String {
        switch self {
        case .statusOff: "status off"
        case .queueMismatch(let queue): "queue=\(queue) does not see this direction"
        }
    }
}
