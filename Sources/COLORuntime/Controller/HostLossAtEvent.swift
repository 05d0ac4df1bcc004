import Deployment

/// A host lost between two scheduler events rather than at a virtual instant: right after the
/// run loop has executed `afterEvents` events, before the next one, even when both are due at the
/// same instant. A timeline entry cannot say that (it is itself an event, ordered among the
/// others at its instant), and adding it would shift every later event; this hook adds none, so
/// the run up to the loss is exactly the reference run's prefix. Used by the failover sweep.
public struct HostLossAtEvent: Sendable, Hashable {
    public var role: HostRole
    /// Events executed before the loss (1 = right after the first event).
    public var afterEvents: Int

    public init(_ role: HostRole, afterEvents: Int) {
        self.role = role
        self.afterEvents = afterEvents
    }
}
