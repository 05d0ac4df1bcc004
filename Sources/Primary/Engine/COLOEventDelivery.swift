/// The COLO framework's events for the compares (§14: none 0, checkpoint 1, failover 2).
public enum COLOEvent: Int, Sendable, Hashable {
    case none = 0
    case checkpoint = 1
    case failover = 2
}

extension COLOCompare {
    /// C-22: the COLO thread posts the event to every compare, in creation order, and returns
    /// only when all have handled it — here, synchronously, one action list per compare. With
    /// no compares it returns at once.
    public static func notifyCompares(_ compares: inout [COLOCompare], event: COLOEvent, nowMs: Int64) -> [[CompareAction]] {
        compares.indices.map { index in
            var actions: [CompareAction] = []
            compares[index].handle(event, nowMs: nowMs, into: &actions)
            return actions
        }
    }

    /// One event (C-20, C-21).
    public mutating func handle(_ event: COLOEvent, nowMs: Int64, into actions: inout [CompareAction]) {
        switch event {
        case .checkpoint: checkpoint(nowMs: nowMs, into: &actions)
        case .failover: failover(nowMs: nowMs, into: &actions)
        case .none: break
        }
    }
}
