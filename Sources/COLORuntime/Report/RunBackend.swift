/// What ran a COLO run's network path.
public enum RunBackend: Sendable, Hashable {
    /// Lockstep's own engines on its deterministic scheduler (times are virtual).
    case emulated
    /// Two real QEMU processes (times are wall-clock time since the start of the run).
    case qemu(QEMUBackendDescription)

    /// Stable token for JSON: `emulated` or `qemu`.
    public var token: String {
        switch self {
        case .emulated: "emulated"
        case .qemu: "qemu"
        }
    }
}

/// Which QEMU ran, and how its checkpoints were driven.
public struct QEMUBackendDescription: Sendable, Hashable {
    /// The binary that was run.
    public var executable: String
    /// Its `--version` number, e.g. `7.2.22`.
    public var version: String
    /// How checkpoints were taken, in one line (e.g. real COLO migration with a
    /// Lockstep-owned proxy on the migration stream).
    public var checkpointMechanism: String
    /// Report counters (``ReportCounters`` names) this backend cannot observe; expectations
    /// on them are skipped, not failed.
    public var unobservedCounters: [String]

    public init(executable: String, version: String, checkpointMechanism: String, unobservedCounters: [String] = []) {
        self.executable = executable
        self.version = version
        self.checkpointMechanism = checkpointMechanism
        self.unobservedCounters = unobservedCounters
    }
}
