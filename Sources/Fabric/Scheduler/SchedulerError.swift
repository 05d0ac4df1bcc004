/// Why the run loop stopped instead of running an event.
public enum SchedulerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The scheduler's lifetime event budget is spent: a runaway simulation.
    case budgetExhausted(budget: Int, now: VirtualTime)
    /// `runUntilIdle(limit:)` ran `limit` events and more were still queued.
    case limitReached(limit: Int, now: VirtualTime)
    /// A component asked for an event before the current instant (a bug in that component).
    case scheduledInPast(label: String, requested: VirtualTime, now: VirtualTime)
    /// A component stopped the simulation with ``Scheduler/abort(_:)``.
    case aborted(reason: String, now: VirtualTime)

    public var description: String {
        switch self {
        case let .budgetExhausted(budget, now):
            return "event budget of \(budget) exhausted at \(now)"
        case let .limitReached(limit, now):
            return "run limit of \(limit) events reached at \(now) with events still queued"
        case let .scheduledInPast(label, requested, now):
            return "event '\(label)' scheduled for \(requested), before the current time \(now)"
        case let .aborted(reason, now):
            return "simulation aborted at \(now): \(reason)"
        }
    }
}
