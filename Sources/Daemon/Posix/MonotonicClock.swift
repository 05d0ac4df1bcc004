import Glibc

/// The daemon's clock: CLOCK_MONOTONIC, counted from the daemon's start.
///
/// QEMU stamps packets and arms the compare's scan timer on its host clock (wall time, ms). A
/// monotonic clock gives the same ages and periods while the wall clock is steady and is immune
/// to clock steps (NTP, manual changes), which in QEMU can fire or starve the timeout scan.
package struct MonotonicClock {
    private let startNanoseconds: Int64

    init() { startNanoseconds = Self.nanoseconds() }

    package static func nanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    /// Milliseconds since start: the compare engine's `nowMs`.
    var milliseconds: Int64 { (Self.nanoseconds() - startNanoseconds) / 1_000_000 }
    /// Microseconds since start: decision-log times.
    var microseconds: Int64 { (Self.nanoseconds() - startNanoseconds) / 1_000 }
}
