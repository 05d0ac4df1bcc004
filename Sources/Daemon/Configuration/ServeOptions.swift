import Primary

/// `lockstep serve`'s own settings (everything that is not a QEMU argument).
public struct ServeOptions: Sendable {
    /// The compare's behaviour; `upstream` is QEMU's (7.2 and newer).
    public var profile: CompareProfile = .upstream
    /// Where the decision log goes: a path, `-` for stdout, nil for none.
    public var decisionLogPath: String?
    public var decisionLogFormat: DecisionLogFormat = .text
    /// How counters are printed on SIGUSR1 and at exit (stderr).
    public var countersFormat: DecisionLogFormat = .text
    /// Records a compare may hold for a peer that does not read (outdev and notify_dev together)
    /// before the daemon stops reading that compare's primary_in and secondary_in until the
    /// backlog drains. QEMU has no such bound (its send list grows); 0 disables it.
    public var maxPendingOutput = 65_536
    /// What a deletion's flush (SIGTERM, SIGINT, QMP quit or object-del) does with the queued
    /// primaries. QEMU detaches outdev before it flushes, so every flushed primary's write
    /// fails and it is lost; the daemon delivers them unless asked to behave like QEMU.
    public var deletionFlush: CompareDeletionFlush = .deliver

    /// How long a SIGTERM shutdown waits for outdev to take the flushed records (C-28); QEMU
    /// waits forever. Records still unwritten then are dropped as `write_failed`.
    public var shutdownTimeoutMs: Int64 = 5_000
    /// Bytes read from an input per poll round (QEMU reads 4 KiB per callback).
    public var readChunkBytes = 256 * 1024
    /// Bind TCP servers with an empty host to every address (QEMU's behaviour) instead of
    /// loopback.
    public var listenAnyAddress = false
    /// Install the SIGTERM/SIGINT/SIGUSR1 handlers (off for in-process tests).
    public var handleSignals = true

    public init() {}
}
