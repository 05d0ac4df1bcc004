import Fabric

/// What the compare asks its host to do, in order. The compare performs no I/O itself.
public enum CompareAction: Sendable, Hashable {
    /// A decision and its reason.
    case event(CompareDecision)
    /// Write one record on a chardev (framing W-1).
    case write(CompareWrite)
    /// Notify the local checkpoint listeners (the COLO framework, K-2). Only without notify_dev.
    case requestCheckpoint
}

/// The compare's two output chardevs.
public enum CompareChannel: String, Sendable, Hashable {
    case outdev
    case notifyDev = "notify_dev"
}

/// One record written on a channel.
public struct CompareWrite: Sendable, Hashable {
    public var channel: CompareChannel
    /// The payload and its V. On outdev V is the V of the original input record (W-4).
    public var frame: Frame
    /// Whether the record carries the V field: `vnet_hdr_support` on outdev, never on
    /// notify_dev (W-4).
    public var carriesVnetField: Bool
    /// The primary record written (nil for notify messages).
    public var primaryIndex: Int?

    public init(channel: CompareChannel, frame: Frame, carriesVnetField: Bool, primaryIndex: Int?) {
        self.channel = channel
        self.frame = frame
        self.carriesVnetField = carriesVnetField
        self.primaryIndex = primaryIndex
    }
}

/// The state of the peer behind an output channel, as the host observes it.
public enum PeerState: String, Sendable, Hashable {
    /// Writes complete at once.
    case writable
    /// Writes would block: the drain waits on its current record; later records queue up.
    case blocked
    /// Writes fail (peer gone): the current record and everything queued is discarded (C-25).
    case failing
}

extension Array where Element == CompareAction {
    /// The decision events among the actions, in order.
    public var events: [CompareDecision] {
        compactMap { if case .event(let event) = $0 { event } else { nil } }
    }

    /// The records written, in order.
    public var writes: [CompareWrite] {
        compactMap { if case .write(let write) = $0 { write } else { nil } }
    }
}
