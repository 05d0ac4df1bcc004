/// Everything the run loop mutates, kept in one struct so each scheduler operation costs one
/// exclusive access to the owning class instead of one per field (the dynamic exclusivity
/// checks on class properties otherwise dominate a cheap event).
struct RunLoopState: ~Copyable {
    var now: Int64 = 0
    var executedEvents = 0
    var traceHash: UInt64 = FNV1a64.offsetBasis
    var nextSequence: UInt64 = 0
    var cancelledInQueue = 0
    var failure: SchedulerError?
    var queue = EventQueue()

    var pendingEventCount: Int { queue.count - cancelledInQueue }

    /// Queues an event, or records `.scheduledInPast` and returns false.
    mutating func enqueue(at time: Int64, _ payload: consuming EventQueue.Payload) -> Bool {
        let sequence = nextSequence
        nextSequence += 1
        guard time >= now else {
            if failure == nil {
                failure = .scheduledInPast(
                    label: payload.label.name,
                    requested: VirtualTime(nanoseconds: time),
                    now: VirtualTime(nanoseconds: now)
                )
            }
            return false
        }
        queue.insert(time: time, sequence: sequence, payload: consume payload)
        return true
    }

    mutating func enqueue(after delay: Int64, _ payload: consuming EventQueue.Payload) -> Bool {
        enqueue(at: now + delay, consume payload)
    }

    /// Takes the next event to run, advances the clock to it and folds it into the trace hash;
    /// returns its payload.
    /// Returns nil when idle; throws on a recorded failure or a spent budget.
    mutating func takeNext(
        budget: Int,
        order: SimultaneousEventOrder,
        chooser: any Chooser
    ) throws(SchedulerError) -> EventQueue.Payload? {
        if let failure { throw failure }
        guard var event = popLive() else { return nil }
        if order == .chosen {
            event = pickAmongSimultaneous(startingWith: event, chooser: chooser)
        }
        guard executedEvents < budget else {
            reinsert(event)
            let exhausted = SchedulerError.budgetExhausted(budget: budget, now: VirtualTime(nanoseconds: now))
            failure = exhausted
            throw exhausted
        }
        now = event.time
        executedEvents += 1
        var hasher = FNV1a64(continuing: traceHash)
        hasher.combine(UInt64(bitPattern: event.time))
        hasher.combine(event.payload.label.hash)
        traceHash = hasher.value
        return (consume event).payload
    }

    mutating func cancel(_ timer: TimerHandle) {
        guard timer.isPending else { return }
        timer.isPending = false
        timer.isCancelled = true
        cancelledInQueue += 1
    }

    /// The time of the next live event, discarding cancelled ones at the head.
    mutating func nextEventTime() -> Int64? {
        while cancelledInQueue > 0, queue.minIsCancelledTimer {
            _ = queue.popMin()
            cancelledInQueue -= 1
        }
        return queue.minKey?.time
    }

    private mutating func popLive() -> EventQueue.Event? {
        while let event = queue.popMin() {
            guard event.key.hasTimer, let timer = event.payload.timer else { return event }
            if timer.isCancelled {
                cancelledInQueue -= 1
                continue
            }
            timer.isPending = false
            return event
        }
        return nil
    }

    /// Puts back an event taken out but not run, keeping its place in the order.
    private mutating func reinsert(_ event: EventQueue.Event) {
        event.payload.timer?.isPending = true
        queue.insert(time: event.time, sequence: event.sequence, payload: event.payload)
    }

    /// Gathers every live event due at the same instant as `first` (in scheduling order), lets
    /// the chooser pick one, and puts the others back with their original sequence numbers.
    private mutating func pickAmongSimultaneous(
        startingWith first: EventQueue.Event,
        chooser: any Chooser
    ) -> EventQueue.Event {
        // Most instants hold one event, and a choice among one asks the chooser nothing: skip
        // building the list.
        guard let head = queue.minKey, head.time == first.time else { return first }
        var candidates = [first]
        while let head = queue.minKey, head.time == first.time {
            guard let next = popLive() else { break }
            if next.time != first.time {
                reinsert(next)
                break
            }
            candidates.append(next)
        }
        let index = candidates.count < 2 ? 0 : min(
            max(chooser.chooseSimultaneous(count: candidates.count) { candidates[$0].payload.label }, 0),
            candidates.count - 1)
        for (position, candidate) in candidates.enumerated() where position != index {
            reinsert(candidate)
        }
        return candidates[index]
    }
}
