import Fabric
import Primary
import Secondary

/// Which frame `lockstep walk` follows.
public enum FrameSelector: Sendable, Hashable {
    /// The Nth frame (1-based) the primary's tap netdev receives from the network.
    case client(Int)
    /// The Nth frame (1-based) the primary guest's NIC sends.
    case guest(Int)
    /// The first frame either side of the primary sends (tap or guest NIC) whose one-line
    /// summary contains the text, e.g. `Flags [S.]` or `length 1200`.
    case matching(String)
}

/// One step of a frame's journey: where it is (a figure component) and what happened there.
public struct WalkHop: Sendable, Hashable {
    public var time: VirtualTime
    public var component: ComponentID
    public var text: String
}

/// A frame's journey across both hosts, in log order.
public struct FrameWalk: Sendable, Hashable {
    public var title: String
    public var hops: [WalkHop]
}

public enum FrameWalkError: Error, Equatable, CustomStringConvertible {
    case noSuchFrame(FrameSelector, available: Int)

    public var description: String {
        switch self {
        case let .noSuchFrame(.client(n), available):
            "no client frame #\(n): the primary's tap received \(available) frames in this run"
        case let .noSuchFrame(.guest(n), available):
            "no guest frame #\(n): the primary guest sent \(available) frames in this run"
        case let .noSuchFrame(.matching(text), _):
            "no frame of this run matches \"\(text)\""
        }
    }
}
