import Fabric

/// The rewriter as it sits in a filter chain: the engine plus its private queue.
///
/// A frame the engine passes through continues the walk at once and never touches the queue
/// (so it does not release held copies); a stolen frame's copy goes through the queue.
public struct QueuedRewriter: Sendable {
    public private(set) var engine: FilterRewriter
    public private(set) var queue: RewriterQueue

    public init(engine: FilterRewriter, queueCapacity: Int = RewriterQueue.defaultCapacity) {
        self.engine = engine
        self.queue = RewriterQueue(profile: engine.profile, capacity: queueCapacity)
    }

    public init(profile: RewriterProfile = .upstream, mutant: EngineMutant? = nil, vnetHeaderLength: UInt32 = 0) {
        self.init(engine: FilterRewriter(profile: profile, mutant: mutant, vnetHeaderLength: vnetHeaderLength))
    }

    /// One step: what the engine decided, and the frames that continue after the rewriter now,
    /// in order (the passed original, or the copies the queue releases).
    public struct Step: Sendable, Hashable {
        public var outcome: RewriterOutcome
        public var continuing: [QueuedCopy]
        public var queueEvents: [RewriterQueueStep]
    }

    /// `senderCanSend`: QEMU's check on the nominal sender — the VM runs and the sender's peer
    /// (the NIC for netdev-sent frames, the netdev for NIC-sent ones) can receive.
    public mutating func receive(_ frame: Frame, from side: RewriterSide, senderCanSend: Bool) -> Step {
        let outcome = engine.receive(frame, from: side)
        guard outcome.wasStolen else {
            return Step(outcome: outcome, continuing: [QueuedCopy(frame: outcome.frame, sender: side)], queueEvents: [])
        }
        let sent = queue.send(QueuedCopy(frame: outcome.frame, sender: side), senderCanSend: senderCanSend)
        return Step(outcome: outcome, continuing: sent.released, queueEvents: sent.events)
    }

    public mutating func checkpoint() -> RewriterDecision { engine.checkpoint() }
    public mutating func failover() -> RewriterDecision { engine.failover() }
    public mutating func vmStarted() -> (released: [QueuedCopy], events: [RewriterQueueStep]) { queue.vmStarted() }
    /// RW-16: the filter is deleted; the engine's table goes with it.
    public mutating func delete() -> (released: [QueuedCopy], events: [RewriterQueueStep]) { queue.flushForDeletion() }
}
