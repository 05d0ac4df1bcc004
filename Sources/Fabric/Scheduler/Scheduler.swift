import HeapModule

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
/// calls ``abort(_:)``, and the next step throws.
public final class Scheduler {
    public static let defaultEventBudget = 50_000_000

    public private(set) var now: VirtualTime = .zero
    public let chooser: any Chooser
    public let simultaneousOrder: SimultaneousEventOrder
    /// Events this scheduler may execute over its lifetime before every step throws.
    public let eventBudget: Int
    public private(set) var executedEvents = 0
    public private(set) var traceHash: UInt64 = FNV1a64.offsetBasis
    public var traceSink: (any TraceSink)?
    /// Once set, every later step throws it: a failed simulation stays failed.
    public private(set) var failure: SchedulerError?

    private var queue = Heap<ScheduledEvent>()
    private var nextSequence: UInt64 = 0
    private var cancelledInQueue = 0
    private static let deliveryOrderPoint = ChoicePoint(.deliveryOrder, "scheduler")

    public init(
        chooser: any Chooser = CanonicalChooser(),
        simultaneousOrder: SimultaneousEventOrder = .insertion,
        eventBudget: Int = Scheduler.defaultEventBudget
    ) {
        self.chooser = chooser
        self.simultaneousOrder = simultaneousOrder
        self.eventBudget = eventBudget
    }

    /// Events queued and not cancelled.
    public var pendingEventCount: Int { queue.count - cancelledInQueue }

    public var isIdle: Bool { pendingEventCount == 0 }

    /// Queues `action` to run at `time`. A time before ``now`` is a component bug: the event is
    /// not queued and the next step throws ``SchedulerError/scheduledInPast(label:requested:now:)``.
    public func schedule(at time: VirtualTime, _ label: EventLabel, _ action: @escaping () -> Void) {
        enqueue(at: time, label, timer: nil, action)
    }

    /// Queues `action` to run `delay` after ``now``.
    public func schedule(after delay: VirtualDuration, _ label: EventLabel, _ action: @escaping () -> Void) {
        enqueue(at: now + delay, label, timer: nil, action)
    }

    /// Like ``schedule(at:_:_:)`` but returns a handle that can cancel the event.
    @discardableResult
    public func scheduleTimer(at time: VirtualTime, _ label: EventLabel, _ action: @escaping () -> Void) -> TimerHandle {
        let timer = TimerHandle(label: label, deadline: time)
        if !enqueue(at: time, label, timer: timer, action) {
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
        guard timer.isPending else { return }
        timer.isPending = false
        timer.isCancelled = true
        cancelledInQueue += 1
    }

    /// Stops the simulation: the current step finishes, then every step throws `.aborted`.
    public func abort(_ reason: String) {
        if failure == nil {
            failure = .aborted(reason: reason, now: now)
        }
    }

    /// The time of the next event that will run, if any.
    public var nextEventTime: VirtualTime? {
        dropCancelledHead()
        return queue.min.map { VirtualTime(nanoseconds: $0.time) }
    }

    /// Runs the next event. Returns `false` when nothing is queued.
    @discardableResult
    public func step() throws(SchedulerError) -> Bool {
        if let failure { throw failure }
        guard let first = popLive() else { return false }
        let event = simultaneousOrder == .chosen ? pickAmongSimultaneous(startingWith: first) : first
        guard executedEvents < eventBudget else {
            event.timer?.isPending = true
            queue.insert(event)
            let exhausted = SchedulerError.budgetExhausted(budget: eventBudget, now: now)
            failure = exhausted
            throw exhausted
        }
        execute(event)
        if let failure { throw failure }
        return true
    }

    /// Runs every event due at or before `deadline`, then advances the clock to `deadline`.
    public func run(until deadline: VirtualTime) throws(SchedulerError) {
        while let next = nextEventTime, next <= deadline {
            try step()
        }
        if let failure { throw failure }
        if deadline > now { now = deadline }
    }

    /// Runs until nothing is queued. Throws `.limitReached` if `limit` events ran in this call
    /// and more are still queued.
    public func runUntilIdle(limit: Int = Scheduler.defaultEventBudget) throws(SchedulerError) {
        var ran = 0
        while !isIdle {
            guard ran < limit else {
                throw SchedulerError.limitReached(limit: limit, now: now)
            }
            try step()
            ran += 1
        }
        if let failure { throw failure }
    }

    private func execute(_ event: ScheduledEvent) {
        now = VirtualTime(nanoseconds: event.time)
        let index = executedEvents
        executedEvents += 1
        var hasher = FNV1a64(continuing: traceHash)
        hasher.combine(UInt64(bitPattern: event.time))
        hasher.combine(event.label.hash)
        traceHash = hasher.value
        traceSink?.record(index: index, time: now, label: event.label)
        event.action()
    }

    @discardableResult
    private func enqueue(at time: VirtualTime, _ label: EventLabel, timer: TimerHandle?, _ action: @escaping () -> Void) -> Bool {
        let sequence = nextSequence
        nextSequence += 1
        guard time >= now else {
            if failure == nil {
                failure = .scheduledInPast(label: label.name, requested: time, now: now)
            }
            return false
        }
        queue.insert(ScheduledEvent(time: time.nanoseconds, sequence: sequence, label: label, action: action, timer: timer))
        return true
    }

    private func popLive() -> ScheduledEvent? {
        while let event = queue.popMin() {
            guard let timer = event.timer else { return event }
            if timer.isCancelled {
                cancelledInQueue -= 1
                continue
            }
            timer.isPending = false
            return event
        }
        return nil
    }

    private func dropCancelledHead() {
        while cancelledInQueue > 0, let head = queue.min, head.timer?.isCancelled == true {
            _ = queue.popMin()
            cancelledInQueue -= 1
        }
    }

    /// Gathers every live event due at the same instant as `first` (in scheduling order), lets
    /// the chooser pick one, and puts the others back with their original sequence numbers.
    private func pickAmongSimultaneous(startingWith first: ScheduledEvent) -> ScheduledEvent {
        var candidates = [first]
        while let head = queue.min, head.time == first.time {
            guard let next = popLive() else { break }
            if next.time != first.time {
                queue.insert(next)
                break
            }
            candidates.append(next)
        }
        let index = chooser.chooseIndex(Scheduler.deliveryOrderPoint, count: candidates.count)
        for (position, candidate) in candidates.enumerated() where position != index {
            candidate.timer?.isPending = true
            queue.insert(candidate)
        }
        return candidates[index]
    }
}
