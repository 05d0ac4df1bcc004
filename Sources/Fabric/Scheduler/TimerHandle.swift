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
