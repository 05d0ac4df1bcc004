import Fabric

/// How long the backend waits for QEMU before it calls QEMU hung. Generous: a loaded 2-core
/// machine delays QEMU's answers by tens of milliseconds, never by seconds.
public struct QEMURunLimits: Sendable, Hashable {
    /// From spawning both QEMUs to COLO running (QMP up, chardevs joined, first migration).
    public var startup: VirtualDuration = .seconds(30)
    /// For any QMP reply.
    public var command: VirtualDuration = .seconds(10)
    /// From a checkpoint's first step (the secondary's reply) to its last (the load).
    public var checkpoint: VirtualDuration = .seconds(10)

    public init() {}
}
