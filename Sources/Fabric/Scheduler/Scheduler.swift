/// The deterministic, single-threaded run loop of a simulation.
///
/// Components are actors in the modelling sense: each owns its state and is reached only through
/// events queued here. Nothing runs concurrently, and nothing reads a wall clock: ``now`` moves
/// only when an event is taken from the queue. Every nondeterministic decision goes through
/// ``chooser``. Each executed event is folded into ``traceHash`` (FNV-1a over the event's time
/// in nanoseconds and its label's hash, both as eight little-endian bytes) and, when a
/// ``traceSink`` is set, recorded there; equal hashes across runs mean equal event sequences.
///
/// Errors in components do not throw through events; a component that must stop the whole run
/// calls ``abort(_:)``, and the next step throws. Once failed, a scheduler stays failed.
public final class Scheduler {
    public static let defaultEventBudget = 50_000_000

    public let chooser: any Chooser
    public let simultaneousOrder: SimultaneousEventOrder
    /// Events this scheduler may execute over its lifetime before every step throws.
    public let eventBudget: Int
    public var traceSink: (any TraceSink)?

    /// Dynamic exclusivity checks on this one property cost more than a whole cheap event, so
    /// they are turned off. That is sound because the loop is single-threaded and no code that
    /// runs inside a mutation of `state` (the heap, the chooser for simultaneous events) calls
    /// back into the scheduler; component actions run only after `takeNext` has returned.
    @exclusivity(unchecked) private var state = RunLoopState()

    public init(
        chooser: any Chooser = CanonicalChooser(),
        simultaneousOrder: SimultaneousEventOrder = .insertion,
        eventBudget: Int = Scheduler.defaultEventBudget
    ) {
        self.chooser = chooser
        self.simultaneousOrder = simultaneousOrder
        self.eventBudget = eventBudget
    }

    public var now: VirtualTime { VirtualTime(nanoseconds: state.now) }
    public var executedEvents: Int { state.executedEvents }
    public var traceHash: UInt64 { state.traceHash }
    public var failure: SchedulerError? { state.failure }

    /// Events queued and not cancelled.
    public var pendingEventCount: Int { state.pendingEventCount }
    public var isIdle: Bool { state.pendingEventCount == 0 }

    /// The time of the next event that will run, if any.
    public var nextEventTime: VirtualTime? {
        state.nextEventTime().map { VirtualTime(nanoseconds: $0) }
    }

    /// Queues `action` to run at `time`. A time before ``now`` is a component bug: the event is
    /// not queued and the next step throws ``SchedulerError/scheduledInPast(label:requested:now:)``.
    public func schedule(at time: VirtualTime, _ label: EventLabel, _ action: @escaping () -> Void) {
        _ = state.enqueue(at: time.nanoseconds, .init(label: label, action: .closure(action), timer: nil))
    }

    /// Queues `action` to run `delay` after ``now``.
    public func schedule(after delay: VirtualDuration, _ label: EventLabel, _ action: @escaping () -> Void) {
        _ = state.enqueue(after: delay.nanoseconds, .init(label: label, action: .closure(action), timer: nil))
    }

    /// Queues `handler.handleEvent(code)` to run at `time`, without allocating (see
    /// ``EventHandler``).
    public func schedule(at time: VirtualTime, _ label: EventLabel, handler: any EventHandler, code: Int) {
        _ = state.enqueue(at: time.nanoseconds, .init(label: label, action: .handler(handler, code), timer: nil))
    }

    /// Queues `handler.handleEvent(code)` to run `delay` after ``now``, without allocating.
    public func schedule(after delay: VirtualDuration, _ label: EventLabel, handler: any EventHandler, code: Int) {
        _ = state.enqueue(after: delay.nanoseconds, .init(label: label, action: .handler(handler, code), timer: nil))
    }

    /// Like ``schedule(at:_:_:)`` but returns a handle that can cancel the event.
    @discardableResult
    public func scheduleTimer(at time: VirtualTime, _ label: EventLabel, _ action: @escaping () -> Void) -> TimerHandle {
        let timer = TimerHandle(label: label, deadline: time)
        if !state.enqueue(at: time.nanoseconds, .init(label: label, action: .closure(action), timer: timer)) {
            timer.isPending = false
        }
        return timer
    }

    @discardableResult
    public func scheduleTimer(after delay: VirtualDuration, _ label: EventLabel, _ action: @escaping () -> Void) -> TimerHandle {
        scheduleTimer(at: now + delay, label, action)
    }

    /// Prevents a queued timer from running. Cancelling one that already ran, or twice, does
    /// nothing.
    public func cancel(_ timer: TimerHandle) {
        state.cancel(timer)
    }

    /// Drops every pending event, and what its action holds, without running it. A finished
    /// run's components hold the scheduler while its queued actions hold them: a cycle that only
    /// this breaks, so a fuzz campaign's memory stays flat however many runs it makes.
    public func discardPendingEvents() {
        state.queue = EventQueue()
        state.cancelledInQueue = 0
    }

    /// Stops the simulation: the current step finishes, then every step throws `.aborted`.
    public func abort(_ reason: String) {
        if state.failure == nil {
            state.failure = .aborted(reason: reason, now: now)
        }
    }

    /// Runs the next event. Returns `false` when nothing is queued.
    @discardableResult
    public func step() throws(SchedulerError) -> Bool {
        let next = try state.takeNext(budget: eventBudget, order: simultaneousOrder, chooser: chooser)
        guard let payload = consume next else { return false }
        if let traceSink {
            traceSink.record(
                index: state.executedEvents - 1,
                time: now,
                label: payload.label
            )
        }
        payload.action.run()
        if let failure = state.failure { throw failure }
        return true
    }

    /// Runs every event due at or before `deadline`, then advances the clock to `deadline`.
    public func run(until deadline: VirtualTime) throws(SchedulerError) {
        while let next = state.nextEventTime(), next <= deadline.nanoseconds {
            try step()
        }
        if let failure = state.failure { throw failure }
        if deadline.nanoseconds > state.now { state.now = deadline.nanoseconds }
    }

    /// Runs until nothing is queued. Throws `.limitReached` if `limit` events ran in this call
    /// and more are still queued.
    public func runUntilIdle(limit: Int = Scheduler.defaultEventBudget) throws(SchedulerError) {
        var ran = 0
        while state.pendingEventCount > 0 {
            guard ran < limit else {
                throw SchedulerError.limitReached(limit: limit, now: now)
            }
            try step()
            ran += 1
        }
        if let failure = state.failure { throw failure }
    }
}
