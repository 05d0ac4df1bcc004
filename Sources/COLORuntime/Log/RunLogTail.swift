import DequeModule

/// The last `capacity` entries of a run's log before position `end` (all entries when `end` is
/// nil), fed one entry at a time: what an explained trace shows without keeping the whole log.
public struct RunLogTail: Sendable {
    public let capacity: Int
    public let end: Int?
    /// Entries seen, kept or not.
    public private(set) var total = 0
    public private(set) var entries: Deque<RunLogEntry> = []

    public init(capacity: Int, end: Int? = nil) {
        self.capacity = max(1, capacity)
        self.end = end
    }

    /// The log position of `entries.first`.
    public var firstPosition: Int { min(total, end ?? total) - entries.count }

    public mutating func add(_ entry: RunLogEntry) {
        defer { total += 1 }
        if let end, total >= end { return }
        if entries.count == capacity { entries.removeFirst() }
        entries.append(entry)
    }
}
