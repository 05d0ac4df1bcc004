/// A capture timestamp, kept as whole nanoseconds so that a virtual clock reading passes
/// through unchanged; a file written with microsecond precision keeps the microseconds only.
public struct PcapTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var nanoseconds: UInt64

    public init(nanoseconds: UInt64) {
        self.nanoseconds = nanoseconds
    }

    public init(seconds: UInt64, nanosecondsIntoSecond: UInt64) {
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        nanoseconds = overflow ? UInt64.max : scaled &+ min(nanosecondsIntoSecond, 999_999_999)
    }

    public var seconds: UInt64 { nanoseconds / 1_000_000_000 }
    public var nanosecondsIntoSecond: UInt64 { nanoseconds % 1_000_000_000 }

    /// The same instant cut down to what a file of the given precision can hold.
    public func truncated(to precision: PcapTimestampPrecision) -> PcapTimestamp {
        switch precision {
        case .nanoseconds: self
        case .microseconds: PcapTimestamp(nanoseconds: nanoseconds - nanoseconds % 1_000)
        }
    }

    public static func < (lhs: PcapTimestamp, rhs: PcapTimestamp) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    public var description: String {
        let fraction = String(nanosecondsIntoSecond)
        return "\(seconds).\(String(repeating: "0", count: 9 - fraction.count))\(fraction)s"
    }
}

/// Resolution of the timestamps stored in a classic pcap file (the magic number tells which).
public enum PcapTimestampPrecision: Sendable, Hashable, CustomStringConvertible {
    /// Magic a1b2c3d4: what QEMU's filter-dump writes.
    case microseconds
    /// Magic a1b23c4d.
    case nanoseconds

    var libpcapValue: UInt32 {
        switch self {
        case .microseconds: 0  // PCAP_TSTAMP_PRECISION_MICRO
        case .nanoseconds: 1  // PCAP_TSTAMP_PRECISION_NANO
        }
    }

    /// How many nanoseconds one unit of the file's sub-second field is worth.
    var nanosecondsPerUnit: UInt64 {
        switch self {
        case .microseconds: 1_000
        case .nanoseconds: 1
        }
    }

    public var description: String {
        switch self {
        case .microseconds: "microseconds"
        case .nanoseconds: "nanoseconds"
        }
    }
}
