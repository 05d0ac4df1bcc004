import Fabric

/// A copy in the rewriter's private queue, with its nominal sender: the frame continues after
/// the rewriter in that sender's walk direction (F-7).
public struct QueuedCopy: Sendable, Hashable {
    public var frame: Frame
    public var sender: RewriterSide

    public init(frame: Frame, sender: RewriterSide) {
        self.frame = frame
        self.sender = sender
    }
}

/// What the private queue did.
public enum RewriterQueueStep: Sendable, Hashable {
    /// The sender could not send (VM stopped, or its peer cannot receive): the copy waits.
    case held(sender: RewriterSide, depth: Int)
    /// F-12: the queue already held `capacity` copies; this one is dropped and counted.
    case dropped(sender: RewriterSide, totalDropped: Int)
    /// Held copies left the queue (after a newer copy went through, on VM start when the
    /// profile fixes F-14, or at deletion).
    case released(count: Int, cause: RewriterQueueReleaseCause)

    public var token: String {
        switch self {
        case .held: "queue_held"
        case .dropped: "queue_dropped"
        case .released: "queue_released"
        }
    }
}

public enum RewriterQueueReleaseCause: String, Sendable, Hashable {
    /// F-13: a later copy went through and the queue was flushed behind it.
    case laterCopy = "later_copy"
    /// Corrected profile only: the VM started again.
    case vmStarted = "vm_started"
    /// RW-16: the rewriter was deleted.
    case deletion
}

/// The rewriter's private net queue (RW-6 with F-12..F-14, RW-16), sans I/O.
///
/// QEMU sends every copy through this queue. A copy goes through at once when its sender can
/// send (the VM runs and the sender's peer can receive); otherwise it is appended, at most
/// `capacity` of them, the rest dropped. Appended copies leave only when a later copy goes
/// through — and then *after* it — because nothing flushes this queue on VM start. Delivery
/// onward always succeeds from the queue's point of view (the next hop reports the full size),
/// so a flush always empties it.
public struct RewriterQueue: Sendable {
    public static let defaultCapacity = 10_000

    public let capacity: Int
    public let newerCopyOvertakesHeld: Bool
    public let heldCopiesWaitForLaterFrame: Bool
    public private(set) var held: [QueuedCopy] = []
    public private(set) var droppedCount = 0

    public init(profile: RewriterProfile = .upstream, capacity: Int = RewriterQueue.defaultCapacity) {
        self.capacity = capacity
        self.newerCopyOvertakesHeld = profile.quirks[.newerCopyOvertakesHeld]
        self.heldCopiesWaitForLaterFrame = profile.quirks[.heldCopiesWaitForLaterFrame]
    }

    /// Sends one copy. Returns the copies that continue now, in order, and what happened.
    public mutating func send(_ copy: QueuedCopy, senderCanSend: Bool) -> (released: [QueuedCopy], events: [RewriterQueueStep]) {
        guard senderCanSend else {
            if held.count >= capacity {
                droppedCount += 1
                return ([], [.dropped(sender: copy.sender, totalDropped: droppedCount)])
            }
            held.append(copy)
            return ([], [.held(sender: copy.sender, depth: held.count)])
        }
        if held.isEmpty { return ([copy], []) }
        let older = held
        held.removeAll()
        let released = newerCopyOvertakesHeld ? [copy] + older : older + [copy]
        return (released, [.released(count: older.count, cause: .laterCopy)])
    }

    /// The VM runs again. QEMU does not flush filter-private queues then (F-14), so nothing
    /// leaves; the corrected profile releases every held copy.
    public mutating func vmStarted() -> (released: [QueuedCopy], events: [RewriterQueueStep]) {
        guard !heldCopiesWaitForLaterFrame, !held.isEmpty else { return ([], []) }
        return drain(.vmStarted)
    }

    /// RW-16: deleting the rewriter flushes the queue. Every copy is handed on (the next hop
    /// always reports success, so QEMU's purge of undeliverable copies never has work to do).
    public mutating func flushForDeletion() -> (released: [QueuedCopy], events: [RewriterQueueStep]) {
        guard !held.isEmpty else { return ([], []) }
        return drain(.deletion)
    }

    private mutating func drain(_ cause: RewriterQueueReleaseCause) -> (released: [QueuedCopy], events: [RewriterQueueStep]) {
        let released = held
        held.removeAll()
        return (released, [.released(count: released.count, cause: cause)])
    }
}
