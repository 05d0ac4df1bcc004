import Fabric

/// The documented ranges of a run's numbers (docs/scenarios.md, `lockstep run --help`). They
/// keep every sum of times inside the 64-bit nanosecond clock and every count allocatable;
/// what a combination of them costs is `RunCost`'s to judge.
public enum RunLimits {
    /// The longest virtual time anything may last: a run, a latency, a delay (100 days).
    public static let longestDuration = VirtualDuration.seconds(100 * 86_400)
    public static let maximumConnections = 100_000
    public static let maximumRequests = 1_000_000
    /// A request or response body (256 MiB, also the most a whole run may move).
    public static let maximumBodyBytes = 1 << 28
    /// x-checkpoint-delay is QEMU's uint32 of milliseconds.
    public static let longestCheckpointDelay = VirtualDuration.milliseconds(Int64(UInt32.max))
}
