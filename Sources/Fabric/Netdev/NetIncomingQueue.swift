import Collections

/// A frame waiting to be delivered to a client.
struct QueuedFrame {
    var frame: Frame
    var sender: NetClient
    var walk: WalkID
    /// Sends by clients carry a completion callback; re-injections by filters do not, and only
    /// those are subject to the 10 000-frame cap (F-12).
    var hasCompletion: Bool
}

/// A client's incoming queue (QEMU's NetQueue).
final class NetIncomingQueue {
    var entries = Deque<QueuedFrame>()
    /// Set while a frame is being handed to the endpoint, so re-entrant sends queue up.
    var isDelivering = false

    var isEmpty: Bool { entries.isEmpty }

    func contains(_ walk: WalkID) -> Bool {
        entries.contains { $0.walk == walk }
    }
}
