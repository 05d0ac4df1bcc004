/// One executed event.
public struct TraceEntry: Sendable, Hashable, CustomStringConvertible {
    public var sequence: Int
    public var time: VirtualTime
    public var label: String

    public init(sequence: Int, time: VirtualTime, label: String) {
        self.sequence = sequence
        self.time = time
        self.label = label
    }

    /// `index time-in-ns label`: one line per event, stable across runs and processes.
    public var description: String { "\(sequence) \(time.nanoseconds) \(label)" }
}

/// Receives every executed event, in execution order.
public protocol TraceSink: AnyObject {
    func record(index: Int, time: VirtualTime, label: EventLabel)
}

/// Keeps the whole trace in memory (tests, `lockstep trace --full`).
public final class TraceRecorder: TraceSink {
    public private(set) var entries: [TraceEntry] = []

    public init() {}

    public func record(index: Int, time: VirtualTime, label: EventLabel) {
        entries.append(TraceEntry(sequence: index, time: time, label: label.name))
    }

    public var lines: [String] { entries.map(\.description) }
}
