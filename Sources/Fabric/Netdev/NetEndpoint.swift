/// What sits behind a net client and finally consumes frames: a guest stack behind a NIC, the
/// host network behind a tap. The net core asks it first whether it can receive (QEMU's
/// `can_receive`) and then hands it each frame.
public protocol NetEndpoint: AnyObject {
    /// When false, frames addressed to this client wait in its incoming queue (F-12).
    func canReceive() -> Bool
    func receive(_ frame: Frame, from sender: NetClient) -> EndpointReceipt
}

/// What an endpoint did with a frame.
public enum EndpointReceipt: Sendable, Hashable {
    /// Taken (QEMU: receive returned the size).
    case accepted
    /// Not now (QEMU: receive returned 0): the frame is queued and the client stops receiving
    /// until someone flushes its queue.
    case deferred
    /// Refused for good (QEMU: receive returned an error): the frame is gone, counted as dropped.
    case refused
}

/// An endpoint that keeps every frame it receives, in order. Useful as the "wire" behind a tap
/// and in tests.
public final class FrameRecorder: NetEndpoint {
    public struct Entry: Sendable, Hashable {
        public var frame: Frame
        public var sender: String
    }

    public private(set) var received: [Entry] = []
    /// Plays QEMU's `can_receive`.
    public var acceptsFrames = true

    public init() {}

    public var frames: [Frame] { received.map(\.frame) }

    public func canReceive() -> Bool { acceptsFrames }

    public func receive(_ frame: Frame, from sender: NetClient) -> EndpointReceipt {
        received.append(Entry(frame: frame, sender: sender.name))
        return .accepted
    }

    public func removeAll() { received.removeAll() }
}
