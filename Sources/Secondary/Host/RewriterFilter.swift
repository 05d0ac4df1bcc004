import Fabric

/// filter-rewriter as a filter in a netdev's chain: the sans-I/O engine and its private queue
/// (`QueuedRewriter`) wired to the net core (docs/rewriter.md, "To wire it into a NetFilter
/// chain").
///
/// A frame the engine passes continues the walk (`.pass`). A stolen frame's copy goes through
/// the private queue: it continues after the rewriter at once when its nominal sender can send
/// (F-12: the VM runs and the sender's peer can receive, and the queue is not already
/// delivering), otherwise it waits there until a later copy goes through (F-13, K-8).
public final class RewriterFilter: NetFilter {
    public struct Statistics: Sendable, Hashable {
        public var framesSeen = 0
        public var framesPassed = 0
        public var framesStolen = 0
        /// Copies handed on after the rewriter (each a new F-7 walk).
        public var copiesDelivered = 0
        /// F-12: copies refused by a full private queue.
        public var copiesDropped = 0
        public var checkpoints = 0
        public var failovers = 0
    }

    public let typeName = "filter-rewriter"
    public private(set) var node: QueuedRewriter
    public private(set) var statistics = Statistics()
    /// Every engine event, in rule order, the frame's `.forward` last.
    public var onEvent: ((RewriterDecision) -> Void)?
    public var onQueueEvent: ((RewriterQueueStep) -> Void)?

    private weak var core: NetCore?
    private weak var context: FilterContext?
    /// QEMU's `queue->delivering`: copies sent while the queue delivers wait (F-12).
    private var delivering = false

    public init(profile: RewriterProfile = .upstream, mutant: EngineMutant? = nil, vnetHeaderLength: UInt32 = 0, core: NetCore) {
        node = QueuedRewriter(profile: profile, mutant: mutant, vnetHeaderLength: vnetHeaderLength)
        self.core = core
    }

    /// Copies waiting in the private queue.
    public var heldCopies: Int { node.queue.held.count }

    public func setup(context: FilterContext) throws(FilterSetupError) {
        self.context = context
    }

    public func receive(_ frame: Frame, direction: NetDirection, sender: NetClient, context: FilterContext) -> FilterVerdict {
        statistics.framesSeen += 1
        let side: RewriterSide = sender === context.netdev ? .netdev : .nic
        let canSend = !delivering && (core?.canSend(sender) ?? false)
        let step = node.receive(frame, from: side, senderCanSend: canSend)
        if let onEvent {
            for event in step.outcome.events { onEvent(event) }
            onEvent(.forward(step.outcome.record))
        }
        report(step.queueEvents)
        guard step.outcome.wasStolen else {
            statistics.framesPassed += 1
            return .pass
        }
        statistics.framesStolen += 1
        deliver(step.continuing, context: context)
        let result: FilterOutputResult = step.continuing.isEmpty ? .held : .written(bytes: frame.count)
        return .steal(sendResult: frame.count, output: FilterOutput(destination: "rewriter queue", result: result))
    }

    /// RW-15: a checkpoint resets every offset; a failover enters failover mode when no offset
    /// is non-zero. The rewriter overrides the default hook, so its status stays on.
    public func handleEvent(_ event: COLOFilterEvent, context: FilterContext) throws(FilterEventError) {
        let outcome: RewriterDecision
        switch event {
        case .checkpoint:
            statistics.checkpoints += 1
            outcome = node.checkpoint()
        case .failover:
            statistics.failovers += 1
            outcome = node.failover()
        }
        onEvent?(outcome)
    }

    /// F-14: the VM started. QEMU does not flush filter-private queues; a corrected profile
    /// releases the held copies here.
    public func vmStarted() {
        guard let context else { return }
        let released = node.vmStarted()
        report(released.events)
        deliver(released.released, context: context)
    }

    /// RW-16: deletion flushes the private queue.
    public func cleanup(context: FilterContext) {
        let released = node.delete()
        report(released.events)
        deliver(released.released, context: context)
        self.context = nil
    }

    private func report(_ events: [RewriterQueueStep]) {
        for event in events {
            if case .dropped = event { statistics.copiesDropped += 1 }
            onQueueEvent?(event)
        }
    }

    private func deliver(_ copies: [QueuedCopy], context: FilterContext) {
        guard !copies.isEmpty else { return }
        delivering = true
        for copy in copies {
            let nominal = copy.sender == .netdev ? context.netdev : context.netdev.peer
            context.passToNext(copy.frame, nominalSender: nominal)
            statistics.copiesDelivered += 1
        }
        delivering = false
    }
}
