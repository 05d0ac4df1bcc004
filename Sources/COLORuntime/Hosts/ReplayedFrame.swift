import Fabric

/// A frame the client sends `at` after the start of the run, as captured (no stack involved).
public struct ReplayedFrame: Sendable, Hashable {
    public var at: VirtualDuration
    public var frame: Frame

    public init(at: VirtualDuration, _ frame: Frame) {
        self.at = at
        self.frame = frame
    }
}
