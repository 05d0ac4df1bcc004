import Fabric
import GuestStack

/// The COLO framework as it concerns the network (spec §9): the primary's COLO thread with its
/// checkpoint event and `x-checkpoint-delay` timer, the secondary's incoming thread, and the
/// migration channel between them.
///
/// K-2: every request sets the event and re-arms the timer to now + delay. K-3: the event is
/// cleared only when the compares are flushed, so requests until then are absorbed by the
/// running checkpoint and later ones cause another right after it. The transaction follows K-5
/// and K-7 step by step, each step an event; messages between the hosts take `channelLatency`
/// and are sent only by a live host; the state transfer takes the cost model's time.
///
/// Where both threads are is one ``State`` (COLOController+State.swift), and every step moves it
/// explicitly: requests in +Requests, the transaction in +Checkpoint, losses in +Failover.
final class COLOController {
    var state = State.idle(event: nil)
    var records: [CheckpointRecord] = []
    var checkpointDelay: VirtualDuration
    var requestsIgnored = 0

    let parameters: ControllerParameters
    let scheduler: Scheduler
    let log: RunLog
    unowned let primary: HostRuntime
    unowned let secondary: HostRuntime
    /// Hands the network to the secondary's tap (K-10).
    var onSecondaryTakeover: (() -> Void)?
    /// The primary's guest output no longer goes through a compare (K-11 teardown done).
    var onTeardownFinished: (() -> Void)?

    /// The K-2 timer, armed from the start until the COLO thread exits.
    var timer: TimerHandle?
    /// The primary guest's traffic when it last sent its state, for the next transfer's cost.
    var lastStateCounters = StateCounters()

    init(parameters: ControllerParameters, scheduler: Scheduler, log: RunLog, primary: HostRuntime, secondary: HostRuntime) {
        self.parameters = parameters
        self.checkpointDelay = parameters.checkpointDelay
        self.scheduler = scheduler
        self.log = log
        self.primary = primary
        self.secondary = secondary
    }

    var latency: VirtualDuration { parameters.channelLatency }

    /// Where each checkpoint's extra transfer time is drawn (`transfer_jitter`).
    static let transferJitterPoint = ChoicePoint(.jitter, "colo transfer")

    func after(_ delay: VirtualDuration, _ label: String, _ action: @escaping () -> Void) {
        scheduler.schedule(after: delay, EventLabel("colo \(label)"), action)
    }

    /// COLO is running from the start: both guests start equal and the timer is armed.
    func start() {
        log.controller(.coloStarted(checkpointDelay: checkpointDelay))
        lastStateCounters = StateCounters(primary.guest.host.stack.counters)
        rearmTimer()
    }
}
