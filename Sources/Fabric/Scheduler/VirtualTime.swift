/// An instant on the simulation's virtual clock: nanoseconds since the simulation started.
///
/// Nanoseconds are the common unit because the parts we emulate read the clock at different
/// grains: colo-compare and the COLO checkpoint timer work in milliseconds (C-19, K-2), pcap
/// records carry microseconds. Conversions to a coarser grain truncate toward zero, which is
/// what reading a coarser clock at that instant would give.
public struct VirtualTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    public static let zero = VirtualTime(nanoseconds: 0)

    public static func nanoseconds(_ value: Int64) -> VirtualTime {
        VirtualTime(nanoseconds: value)
    }

    public static func microseconds(_ value: Int64) -> VirtualTime {
        VirtualTime(nanoseconds: value * 1_000)
    }

    public static func milliseconds(_ value: Int64) -> VirtualTime {
        VirtualTime(nanoseconds: value * 1_000_000)
    }

    public static func seconds(_ value: Int64) -> VirtualTime {
        VirtualTime(nanoseconds: value * 1_000_000_000)
    }

    /// Whole microseconds since the start (pcap timestamps).
    public var microseconds: Int64 { nanoseconds / 1_000 }

    /// Whole milliseconds since the start (the engines' clock reading).
    public var milliseconds: Int64 { nanoseconds / 1_000_000 }

    public static func < (lhs: VirtualTime, rhs: VirtualTime) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    public static func + (lhs: VirtualTime, rhs: VirtualDuration) -> VirtualTime {
        VirtualTime(nanoseconds: lhs.nanoseconds + rhs.nanoseconds)
    }

    public static func - (lhs: VirtualTime, rhs: VirtualTime) -> VirtualDuration {
        VirtualDuration(nanoseconds: lhs.nanoseconds - rhs.nanoseconds)
    }

    /// Seconds with nine decimals, so traces stay exact and sort as text within one run.
    public var description: String {
        let sign = nanoseconds < 0 ? "-" : ""
        let magnitude = nanoseconds.magnitude
        let fraction = String(magnitude % 1_000_000_000)
        let padded = String(repeating: "0", count: 9 - fraction.count) + fraction
        return "\(sign)\(magnitude / 1_000_000_000).\(padded)s"
    }
}

/// A span of virtual time in nanoseconds.
public struct VirtualDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    public static let zero = VirtualDuration(nanoseconds: 0)

    public static func nanoseconds(_ value: Int64) -> VirtualDuration {
        VirtualDuration(nanoseconds: value)
    }

    public static func microseconds(_ value: Int64) -> VirtualDuration {
        VirtualDuration(nanoseconds: value * 1_000)
    }

    public static func milliseconds(_ value: Int64) -> VirtualDuration {
        VirtualDuration(nanoseconds: value * 1_000_000)
    }

    public static func seconds(_ value: Int64) -> VirtualDuration {
        VirtualDuration(nanoseconds: value * 1_000_000_000)
    }

    public var microseconds: Int64 { nanoseconds / 1_000 }
    public var milliseconds: Int64 { nanoseconds / 1_000_000 }

    public static func < (lhs: VirtualDuration, rhs: VirtualDuration) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    public static func + (lhs: VirtualDuration, rhs: VirtualDuration) -> VirtualDuration {
        VirtualDuration(nanoseconds: lhs.nanoseconds + rhs.nanoseconds)
    }

    public var description: String { "\(nanoseconds)ns" }
}
