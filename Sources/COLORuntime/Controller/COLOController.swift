import Fabric
import GuestStack
import Primary

/// The COLO framework as it concerns the network (spec §9): the primary's COLO thread with its
/// checkpoint event and `x-checkpoint-delay` timer, the secondary's incoming thread, and the
/// migration channel between them.
///
/// K-2: every request sets the event and re-arms the timer to now + delay. K-3: the event is
/// cleared only when the compares are flushed, so requests until then are absorbed by the
/// running checkpoint and later ones cause another right after it. The transaction follows K-5
/// and K-7 step by step, each step an event; messages between the hosts take `channelLatency`
/// and are sent only by a live host; the state transfer takes the cost model's time.
final class COLOController {
    enum Phase: Equatable {
        case idle
        case checkpointing(Int)
        case exited
    }

    /// Where the secondary's incoming thread is within a checkpoint.
    enum SecondaryPhase: Equatable {
        case running
        /// Stopped after CHECKPOINT_REPLY, waiting for the state (K-7 steps 1–2).
        case awaitingState
        /// The whole state arrived; loading it (K-7 step 3).
        case loading
        case failedOver
    }

    private(set) var phase = Phase.idle
    private(set) var secondaryPhase = SecondaryPhase.running
    private(set) var records: [CheckpointRecord] = []
    private(set) var checkpointDelay: VirtualDuration
    private(set) var requestsIgnored = 0

    private let parameters: ControllerParameters
    private let scheduler: Scheduler
    private let log: RunLog
    private unowned let primary: HostRuntime
    private unowned let secondary: HostRuntime
    /// Hands the network to the secondary's tap (K-10).
    var onSecondaryTakeover: (() -> Void)?
    /// The primary's guest output no longer goes through a compare (K-11 teardown done).
    var onTeardownFinished: (() -> Void)?

    private var eventSet = false
    private var pendingTrigger: (trigger: CheckpointTrigger, at: VirtualTime)?
    private var pendingRequests = 0
    private var timer: TimerHandle?
    /// Primary-side state of the running transaction.
    private var flushed = false
    private var loadedArrived = false
    private var secondaryFailoverDeferred = false
    private var lastStateCounters = StateCounters()
    /// What the secondary loaded in the running checkpoint, checked again at the primary's restart.
    private var loadedFingerprint: GuestFingerprint?

    init(parameters: ControllerParameters, scheduler: Scheduler, log: RunLog, primary: HostRuntime, secondary: HostRuntime) {
        self.parameters = parameters
        self.checkpointDelay = parameters.checkpointDelay
        self.scheduler = scheduler
        self.log = log
        self.primary = primary
        self.secondary = secondary
    }

    private var latency: VirtualDuration { parameters.channelLatency }

    /// Where each checkpoint's extra transfer time is drawn (`transfer_jitter`).
    static let transferJitterPoint = ChoicePoint(.jitter, "colo transfer")

    private func after(_ delay: VirtualDuration, _ label: String, _ action: @escaping () -> Void) {
        scheduler.schedule(after: delay, EventLabel("colo \(label)"), action)
    }

    // MARK: Start and requests (K-1 … K-3)

    /// COLO is running from the start: both guests start equal and the timer is armed.
    func start() {
        log.controller(.coloStarted(checkpointDelay: checkpointDelay))
        lastStateCounters = StateCounters(primary.guest.host.stack.counters)
        rearmTimer()
    }

    func request(_ trigger: CheckpointTrigger) {
        guard phase != .exited, primary.isAlive else {
            requestsIgnored += 1
            return
        }
        log.controller(.checkpointRequested(trigger, coalesced: eventSet))
        if eventSet {
            pendingRequests += 1
            if case .checkpointing(let index) = phase, !flushed {
                records[index].absorbedRequests += 1
            }
        } else {
            eventSet = true
            pendingTrigger = (trigger, scheduler.now)
            pendingRequests = 1
        }
        rearmTimer()
        if phase == .idle {
            after(.zero, "wake") { [unowned self] in self.beginIfWanted() }
        }
    }

    /// K-2: a changed delay applies at once and, while COLO runs, requests a checkpoint.
    func setCheckpointDelay(_ delay: VirtualDuration) {
        checkpointDelay = delay
        request(.delayChanged)
    }

    private func rearmTimer() {
        if let timer { scheduler.cancel(timer) }
        timer = scheduler.scheduleTimer(after: checkpointDelay, EventLabel("colo checkpoint timer")) { [unowned self] in
            self.timer = nil
            self.request(.periodic)
        }
    }

    // MARK: The transaction (K-5 primary, K-7 secondary)

    private func beginIfWanted() {
        guard phase == .idle, eventSet, primary.isAlive, let (trigger, requestedAt) = pendingTrigger else { return }
        let number = records.count + 1
        records.append(CheckpointRecord(
            number: number, trigger: trigger, requestedAt: requestedAt, absorbedRequests: pendingRequests - 1,
            startedAt: scheduler.now))
        phase = .checkpointing(records.count - 1)
        flushed = false
        loadedArrived = false
        log.controller(.checkpointStarted(number: number, trigger: trigger))
        // K-5.1: CHECKPOINT_REQUEST.
        after(latency, "request \(number) at secondary") { [unowned self] in self.secondaryGotRequest(number) }
    }

    private var currentIndex: Int? {
        if case .checkpointing(let index) = phase { index } else { nil }
    }

    /// K-7.1: the secondary stops its VM and replies.
    private func secondaryGotRequest(_ number: Int) {
        guard secondary.isAlive, secondaryPhase == .running else { return }
        secondary.stopVM()
        secondaryPhase = .awaitingState
        log.controller(.secondaryStopped(number: number))
        after(latency, "reply \(number) at primary") { [unowned self] in self.primaryGotReply(number) }
    }

    /// K-5.2–K-5.5: the primary stops its VM and sends its state.
    private func primaryGotReply(_ number: Int) {
        guard primary.isAlive, let index = currentIndex, records[index].number == number else { return }
        primary.stopVM()
        let now = StateCounters(primary.guest.host.stack.counters)
        let bytes = now.bytesChanged(since: lastStateCounters)
        lastStateCounters = now
        let transfer = parameters.transferDuration + .nanoseconds(parameters.transferNanosecondsPerByte * Int64(bytes))
            + scheduler.chooser.chooseDuration(Self.transferJitterPoint, upTo: parameters.transferJitter)
        records[index].primaryStoppedAt = scheduler.now
        records[index].stateBytes = bytes
        log.controller(.primaryStopped(number: number, stateBytes: bytes, transfer: transfer))
        after(transfer, "state \(number) at secondary") { [unowned self] in self.secondaryReceivedState(number) }
    }

    /// K-7.2: the whole state arrived — only if the primary lived to send all of it.
    private func secondaryReceivedState(_ number: Int) {
        guard primary.isAlive, secondary.isAlive, secondaryPhase == .awaitingState else { return }
        secondaryPhase = .loading
        log.controller(.stateReceived(number: number))
        after(latency, "received \(number) at primary") { [unowned self] in self.primaryGotReceived(number) }
        after(parameters.loadDuration, "load \(number)") { [unowned self] in self.secondaryLoaded(number) }
    }

    /// K-5.7–K-5.8: clear the event, flush every compare (C-20, C-22). Releases wait in the
    /// stopped primary's tap queue (F-12).
    private func primaryGotReceived(_ number: Int) {
        guard primary.isAlive, phase != .exited, let index = currentIndex, records[index].number == number else { return }
        eventSet = false
        pendingTrigger = nil
        pendingRequests = 0
        flushed = true
        var released = 0
        var dropped = 0
        for compare in primary.compares {
            let flush = compare.checkpoint()
            released += flush.released
            dropped += flush.dropped
        }
        records[index].flushedAt = scheduler.now
        records[index].released = released
        records[index].secondaryDropped = dropped
        log.controller(.comparesFlushed(number: number, released: released, secondaryDropped: dropped))
        if loadedArrived { primaryRestart(number) }
    }

    /// K-7.3–K-7.5: the secondary guest becomes the primary's copy, its filters hear the
    /// checkpoint (rewriter offsets := 0), its VM starts, VMSTATE_LOADED goes back.
    private func secondaryLoaded(_ number: Int) {
        guard secondary.isAlive, secondaryPhase == .loading else { return }
        secondary.guest.load(from: primary.guest)
        let loaded = GuestFingerprint(secondary.guest)
        loadedFingerprint = loaded
        let equal = loaded == GuestFingerprint(primary.guest)
        if let index = records.firstIndex(where: { $0.number == number }) {
            records[index].secondaryLoadedAt = scheduler.now
            records[index].secondaryEqualsPrimary = equal
        }
        log.controller(.secondaryLoaded(number: number, equalsPrimary: equal))
        if let error = secondary.notifyFilters(.checkpoint) {
            log.controller(.checkpointAborted(number: number, reason: "secondary filters refused the checkpoint: \(error)"))
        }
        secondary.startVM()
        secondaryPhase = .running
        log.controller(.secondaryStarted(number: number))
        if secondaryFailoverDeferred {
            secondaryFailoverDeferred = false
            secondaryFailover()
            return
        }
        after(latency, "loaded \(number) at primary") { [unowned self] in
            self.loadedArrived = true
            if self.flushed { self.primaryRestart(number) }
        }
    }

    /// K-5.10: the primary runs again; the releases queued at its tap reach the wire.
    private func primaryRestart(_ number: Int) {
        guard primary.isAlive, phase != .exited, let index = currentIndex, records[index].number == number else { return }
        // The primary stayed stopped since it sent its state: it must still equal what the
        // secondary loaded.
        if let loaded = loadedFingerprint, loaded != GuestFingerprint(primary.guest) {
            records[index].secondaryEqualsPrimary = false
        }
        loadedFingerprint = nil
        primary.startVM()
        records[index].primaryRestartedAt = scheduler.now
        records[index].outcome = .completed
        log.controller(.primaryStarted(number: number, pause: records[index].pause ?? .zero))
        phase = .idle
        if eventSet {
            after(.zero, "wake") { [unowned self] in self.beginIfWanted() }
        }
    }

    // MARK: Losses and failover (K-9 … K-11)

    func primaryLost() {
        log.controller(.hostLost(.primary))
        if let index = currentIndex { records[index].outcome = .aborted("primary lost") }
        phase = .exited
        if let timer { scheduler.cancel(timer) }
        timer = nil
        after(parameters.failoverDelay, "secondary failover command") { [unowned self] in self.secondaryFailoverRequested() }
    }

    func secondaryLost() {
        log.controller(.hostLost(.secondary))
        after(parameters.failoverDelay, "primary failover command") { [unowned self] in self.primaryFailover() }
    }

    /// K-10: deferred while the secondary loads a checkpoint; a secondary still waiting for
    /// state gives up on it and resumes from its own state.
    private func secondaryFailoverRequested() {
        guard secondary.isAlive else { return }
        switch secondaryPhase {
        case .loading:
            secondaryFailoverDeferred = true
        case .awaitingState:
            log.controller(.checkpointAborted(number: records.last?.number ?? 0, reason: "primary lost before the state arrived; the secondary keeps its own state"))
            secondaryPhase = .running
            secondaryFailover()
        case .running:
            secondaryFailover()
        case .failedOver:
            break
        }
    }

    /// K-10: replication stops; every filter gets the failover event (redirectors off, the
    /// rewriter enters failover mode if no offset is set); the VM continues standalone and the
    /// network now reaches this host's tap.
    private func secondaryFailover() {
        secondaryPhase = .failedOver
        let wasRunning = secondary.isVMRunning
        secondary.stopVM()
        let error = secondary.notifyFilters(.failover)
        secondary.startVM()
        log.controller(.failover(.secondary, detail: error.map { "filters: \($0)" } ?? (wasRunning ? "filters notified" : "filters notified; VM resumed")))
        onSecondaryTakeover?()
    }

    /// K-11: the COLO thread exits (no filter or compare hears of it); a stopped primary VM
    /// runs again; then the documented teardown deletes compare, mirror and redirectors.
    private func primaryFailover() {
        guard primary.isAlive, phase != .exited else { return }
        if let index = currentIndex { records[index].outcome = .aborted("secondary lost") }
        phase = .exited
        if let timer { scheduler.cancel(timer) }
        timer = nil
        log.controller(.failover(.primary, detail: "COLO stopped"))
        log.controller(.coloExited(reason: "secondary lost"))
        primary.startVM()
        guard parameters.runsDocumentedTeardown else { return }
        let steps = PrimaryTeardown.documentedSteps(
            compares: primary.compares.map(\.id), filters: primary.core.clients.flatMap(\.filters))
        for (offset, step) in steps.enumerated() {
            let delay = VirtualDuration(nanoseconds: parameters.operatorStepDelay.nanoseconds * Int64(offset + 1))
            after(delay, "teardown \(step.objectID)") { [unowned self] in
                guard self.primary.isAlive else { return }
                let error = self.primary.deleteObject(step.objectID)
                self.log.controller(.teardown(error.map { "\(step): \($0)" } ?? step.description))
                if offset == steps.count - 1 { self.onTeardownFinished?() }
            }
        }
    }
}

/// What a checkpoint's transfer cost is estimated from: the primary guest's traffic.
struct StateCounters: Equatable {
    var payloadBytes = 0
    var frames = 0

    init() {}

    init(_ counters: StackCounters) {
        payloadBytes = counters.tcpPayloadBytesSent + counters.tcpPayloadBytesReceived
        frames = counters.framesSent + counters.framesReceived
    }

    /// Payload bytes plus 64 bytes of socket and buffer state per frame, since `earlier`.
    func bytesChanged(since earlier: StateCounters) -> Int {
        max(0, payloadBytes - earlier.payloadBytes) + 64 * max(0, frames - earlier.frames)
    }
}
