import Glibc
import Fabric

/// Run time for a real-QEMU run: wall-clock time since the run started, as the `VirtualTime`
/// every Lockstep component reads. QEMU's own timers (compare_timeout, the scan,
/// x-checkpoint-delay) run on the host clock, so a scenario's times keep their meaning.
struct WallClock {
    private let start: timespec
    /// The realtime clock at the start, to place QEMU's trace timestamps (gettimeofday) on the
    /// run's time line.
    let realtimeAtStart: Int64

    init() {
        start = Self.read(CLOCK_MONOTONIC)
        let real = Self.read(CLOCK_REALTIME)
        realtimeAtStart = Int64(real.tv_sec) * 1_000_000_000 + Int64(real.tv_nsec)
    }

    var now: VirtualTime {
        let current = Self.read(CLOCK_MONOTONIC)
        let nanoseconds = (Int64(current.tv_sec) - Int64(start.tv_sec)) * 1_000_000_000 + (Int64(current.tv_nsec) - Int64(start.tv_nsec))
        return VirtualTime(nanoseconds: nanoseconds)
    }

    /// A realtime reading (nanoseconds since the epoch) as run time.
    func runTime(realtimeNanoseconds: Int64) -> VirtualTime {
        VirtualTime(nanoseconds: realtimeNanoseconds - realtimeAtStart)
    }

    private static func read(_ clock: clockid_t) -> timespec {
        var value = timespec()
        clock_gettime(clock, &value)
        return value
    }
}
