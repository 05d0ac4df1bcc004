/// A queued event. Ordered by (time, sequence): `sequence` is the scheduling order, so events due
/// at the same instant run in the order they were scheduled unless the scheduler is asked to let
/// the chooser pick (``SimultaneousEventOrder/chosen``).
struct ScheduledEvent: Comparable {
    let time: Int64
    let sequence: UInt64
    let label: EventLabel
    let action: () -> Void
    /// Only cancellable events carry one, so the common path allocates nothing extra.
    let timer: TimerHandle?

    static func < (lhs: ScheduledEvent, rhs: ScheduledEvent) -> Bool {
        if lhs.time != rhs.time { return lhs.time < rhs.time }
        return lhs.sequence < rhs.sequence
    }

    static func == (lhs: ScheduledEvent, rhs: ScheduledEvent) -> Bool {
        lhs.sequence == rhs.sequence
    }
}

/// A cancellable scheduled event (timers that are re-armed or stopped). Belongs to the
/// scheduler that made it; cancel it through ``Scheduler/cancel(_:)``.
public final class TimerHandle {
    public let label: EventLabel
    public let deadline: VirtualTime
    /// Queued and neither run nor cancelled yet.
    public internal(set) var isPending = true
    public internal(set) var isCancelled = false

    init(label: EventLabel, deadline: VirtualTime) {
        self.label = label
        self.deadline = deadline
    }
}

/// How the run loop orders events due at the same virtual instant.
public enum SimultaneousEventOrder: Sendable, Hashable {
    /// Scheduling order (a stable tie-break). No decision is made.
    case insertion
    /// The chooser picks which one runs next (``ChoiceKind/deliveryOrder``); offset 0 is
    /// scheduling order, so a canonical chooser gives the same run as ``insertion``.
    case chosen
}
