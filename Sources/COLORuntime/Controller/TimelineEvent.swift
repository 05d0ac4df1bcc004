import Fabric
import GuestStack
import Primary
import Deployment

/// Something scripted to happen at a virtual time of a run, or at an instant drawn once per run
/// from a window `at...latest` (so a fuzzer explores, e.g., the failover instant).
public struct TimelineEvent: Sendable, Hashable {
    /// Time since the start of the run; the window's start when the instant is drawn.
    public var at: VirtualDuration
    /// The window's end; equal to `at` for a fixed instant, which draws nothing.
    public var latest: VirtualDuration
    public var action: TimelineAction

    public init(at: VirtualDuration, _ action: TimelineAction) {
        self.at = at
        self.latest = at
        self.action = action
    }

    /// An event whose instant the run's chooser draws from `window` (canonically its start).
    public init(within window: ClosedRange<VirtualDuration>, _ action: TimelineAction) {
        self.at = window.lowerBound
        self.latest = window.upperBound
        self.action = action
    }

    /// Whether the instant is drawn from a window of more than one nanosecond.
    public var isWindow: Bool { latest > at }

    /// The choice point of the drawn instant; `index` is the event's position in the
    /// configuration's (time-ordered) timeline.
    public func instantPoint(index: Int) -> ChoicePoint {
        ChoicePoint(.latency, "timeline \(index) \(action.token) at")
    }

    /// The instant of this run: `at` plus a draw in `0...(latest - at)` nanoseconds. A fixed
    /// instant asks the chooser nothing.
    public func instant(index: Int, chooser: any Chooser) -> VirtualDuration {
        guard isWindow else { return at }
        return at + chooser.chooseDuration(instantPoint(index: index), upTo: .nanoseconds(latest.nanoseconds - at.nanoseconds))
    }
}

public enum TimelineAction: Sendable, Hashable {
    /// The primary host is gone (power loss): its guest, filters, compare and sockets stop.
    /// `failoverDelay` later the secondary fails over (K-10) and the client's traffic reaches
    /// its tap.
    case losePrimary
    /// The secondary host is gone. `failoverDelay` later the primary fails over (K-11): COLO
    /// stops and the documented teardown runs; the primary continues without comparison.
    case loseSecondary
    /// The next `count` responses the secondary guest serves carry a token, so they differ
    /// from the primary's.
    case divergeSecondaryResponses(count: Int)
    /// Replaces a guest's divergence knobs from now on.
    case setGuestKnobs(HostRole, DivergenceKnobs)
    /// The guest's vCPUs are not scheduled for `duration`: it neither receives nor sends, and
    /// its timers wait (its clock keeps running).
    case stallGuest(HostRole, duration: VirtualDuration)
    /// Sets `x-checkpoint-delay`; while COLO runs this requests a checkpoint at once (K-2).
    case setCheckpointDelay(VirtualDuration)
    /// Damages the next record written on the chardev pipe that has `chardev` (its writer's or
    /// its reader's id) at one end.
    case chardevFault(chardev: String, ChardevRecordFault)
    /// The chardev socket with `chardev` at one end is reset (bytes in flight are lost) and
    /// reconnects `duration` later; the reader keeps any half-read record (W-9).
    case disconnectChardev(chardev: String, duration: VirtualDuration)
    /// The guests named send `count` frames of a kind their applications never produce.
    case injectFrames(guests: [HostRole], InjectedFrameKind, count: Int)
    /// `qom-set` of a property on every colo-compare of the primary.
    case setCompareProperty(CompareRuntimeProperty, value: UInt64)
    /// `qom-set` of `vnet_hdr_support` on a filter-mirror, filter-redirector or colo-compare.
    case setVnetHeaderSupport(object: String, Bool)

    /// Stable token for traces and reports.
    public var token: String {
        switch self {
        case .losePrimary: "lose_primary"
        case .loseSecondary: "lose_secondary"
        case .divergeSecondaryResponses: "diverge_secondary_responses"
        case .setGuestKnobs: "set_guest_knobs"
        case .stallGuest: "stall_guest"
        case .setCheckpointDelay: "set_checkpoint_delay"
        case .chardevFault: "chardev_fault"
        case .injectFrames: "inject_frames"
        case .disconnectChardev: "chardev_disconnect"
        case .setCompareProperty: "set_compare_property"
        case .setVnetHeaderSupport: "set_vnet_hdr_support"
        }
    }

    public var description: String {
        switch self {
        case .losePrimary: "primary host lost"
        case .loseSecondary: "secondary host lost"
        case .divergeSecondaryResponses(let count): "next \(count) secondary response(s) diverge"
        case .setGuestKnobs(let role, _): "\(role) guest knobs changed"
        case .stallGuest(let role, let duration): "\(role) guest stalled for \(duration.milliseconds) ms"
        case .setCheckpointDelay(let delay): "x-checkpoint-delay set to \(delay.milliseconds) ms"
        case let .chardevFault(chardev, fault): "next record on chardev \(chardev): \(fault.rawValue)"
        case let .disconnectChardev(chardev, duration): "chardev \(chardev) reset, reconnecting after \(duration.milliseconds) ms"
        case let .setCompareProperty(property, value): "colo-compare \(property.rawValue) set to \(value)"
        case let .setVnetHeaderSupport(object, value): "\(object) vnet_hdr_support set \(value ? "on" : "off")"
        case let .injectFrames(guests, kind, count):
            "\(guests.map(\.rawValue).joined(separator: " and ")) guest(s) send \(count) \(kind.rawValue) frame(s)"
        }
    }
}
