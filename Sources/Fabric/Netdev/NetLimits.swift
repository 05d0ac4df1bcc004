/// Size limits of QEMU's net core that decide whether a frame survives.
public enum NetLimits {
    /// NET_BUFSIZE (4096 + 65536): larger sends are dropped before any filter sees them (F-4).
    public static let maxFrameSize = 69_632
    /// Frames without a completion callback beyond this many waiting in one incoming queue are
    /// dropped (F-12).
    public static let incomingQueueCapacity = 10_000
}
