/// What a filter's receive hook decided (F-6).
public enum FilterVerdict: Sendable, Hashable {
    /// Return 0: the walk continues with the next filter.
    case pass
    /// Return 0 after writing a copy somewhere (mirror, dump): the frame continues unchanged.
    case passAfterCopy(FilterOutput)
    /// Non-zero return: the walk stops and `sendResult` goes back to the sender. The frame
    /// went to `output` (a chardev, the filter's own queue …).
    case steal(sendResult: Int, output: FilterOutput)
    /// The filter's write to `destination` blocks (M-4, R-3): the walk, and with it the
    /// process's main loop, waits; the filter's `resumeAfterBlockedWrite` gives the verdict it
    /// returns once the write ends.
    case blockedOnWrite(destination: String)
}

/// Where a filter put a frame (or its copy), and whether that worked.
public struct FilterOutput: Sendable, Hashable, CustomStringConvertible {
    /// e.g. "chardev mirror0", "pcap dump.pcap".
    public var destination: String
    public var result: FilterOutputResult

    public init(destination: String, result: FilterOutputResult) {
        self.destination = destination
        self.result = result
    }

    public var description: String {
        switch result {
        case .written(let bytes): "\(bytes) bytes written to \(destination)"
        case .held: "held by \(destination)"
        case .failed(let code, let reason): "write to \(destination) failed (errno \(code): \(reason))"
        }
    }
}

public enum FilterOutputResult: Sendable, Hashable {
    case written(bytes: Int)
    /// The filter keeps the frame for later (e.g. a buffer or rewriter queue).
    case held
    case failed(code: Int32, reason: String)
}

/// The COLO events filters are notified of (F-9). Raw values are QEMU's event codes.
public enum COLOFilterEvent: Int, Sendable, Hashable, CustomStringConvertible {
    case checkpoint = 1
    case failover = 2

    public var description: String {
        switch self {
        case .checkpoint: "checkpoint"
        case .failover: "failover"
        }
    }
}

/// A filter's event hook refused an event; F-9 stops visiting further filters.
public struct FilterEventError: Error, Sendable, Hashable, CustomStringConvertible {
    public var filter: String
    public var message: String

    public init(filter: String, message: String) {
        self.filter = filter
        self.message = message
    }

    public var description: String { "filter '\(filter)' failed to handle the event: \(message)" }
}
