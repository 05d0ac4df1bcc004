import Fabric
import Primary
import Deployment

/// Why a checkpoint was requested (K-2).
public enum CheckpointTrigger: Sendable, Hashable {
    /// The `x-checkpoint-delay` timer fired.
    case periodic
    /// A colo-compare found an inconsistency (C-18); the request event explains it.
    case compare(object: String, request: CompareCheckpointRequest?)
    /// `x-checkpoint-delay` was changed while COLO ran.
    case delayChanged

    /// Stable token: `periodic`, `delay_changed`, or the compare's reason token
    /// (`payload_mismatch`, `ack_gate`, `no_match`, `timeout`).
    public var token: String {
        switch self {
        case .periodic: "periodic"
        case .delayChanged: "delay_changed"
        case .compare(_, let request): request?.reason.token ?? "compare"
        }
    }
}

/// What the COLO framework (both hosts' COLO threads) did, in order.
public enum ControllerStep: Sendable, Hashable {
    case coloStarted(checkpointDelay: VirtualDuration)
    /// K-2: a request set the checkpoint event; `coalesced` when it was already set (K-3).
    case checkpointRequested(CheckpointTrigger, coalesced: Bool)
    case checkpointStarted(number: Int, trigger: CheckpointTrigger)
    /// K-7 step 1.
    case secondaryStopped(number: Int)
    /// K-5 step 3; `stateBytes` is the estimate the transfer cost is computed from.
    case primaryStopped(number: Int, stateBytes: Int, transfer: VirtualDuration)
    /// K-7 step 2: the whole state arrived.
    case stateReceived(number: Int)
    /// K-5 steps 7–8.
    case comparesFlushed(number: Int, released: Int, secondaryDropped: Int)
    /// K-7 steps 3–4: the secondary guest is a copy of the primary's and the filters were told.
    case secondaryLoaded(number: Int, equalsPrimary: Bool)
    /// K-7 step 5.
    case secondaryStarted(number: Int)
    /// K-5 step 10: released frames may now reach the wire.
    case primaryStarted(number: Int, pause: VirtualDuration)
    case checkpointAborted(number: Int, reason: String)
    case hostLost(HostRole)
    /// K-10 (secondary) or K-11 (primary).
    case failover(HostRole, detail: String)
    /// One `object-del` of the documented teardown (K-11).
    case teardown(String)
    case coloExited(reason: String)
    case timeline(TimelineAction)
    /// A chardev socket a `chardev_disconnect` took down is connected again.
    case chardevReconnected(String)
    case watchdog(String)

    public var token: String {
        switch self {
        case .coloStarted: "colo_started"
        case .checkpointRequested: "checkpoint_requested"
        case .checkpointStarted: "checkpoint_started"
        case .secondaryStopped: "secondary_stopped"
        case .primaryStopped: "primary_stopped"
        case .stateReceived: "state_received"
        case .comparesFlushed: "compares_flushed"
        case .secondaryLoaded: "secondary_loaded"
        case .secondaryStarted: "secondary_started"
        case .primaryStarted: "primary_started"
        case .checkpointAborted: "checkpoint_aborted"
        case .hostLost: "host_lost"
        case .failover: "failover"
        case .teardown: "teardown"
        case .coloExited: "colo_exited"
        case .timeline: "timeline"
        case .chardevReconnected: "chardev_reconnected"
        case .watchdog: "watchdog"
        }
    }
}

/// One checkpoint from request to restart, for the report.
public struct CheckpointRecord: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        case inProgress
        case completed
        case aborted(String)
    }

    public var number: Int
    /// The request that set the checkpoint event.
    public var trigger: CheckpointTrigger
    public var requestedAt: VirtualTime
    /// Further requests absorbed by this checkpoint (K-3).
    public var absorbedRequests = 0
    public var startedAt: VirtualTime
    public var primaryStoppedAt: VirtualTime?
    public var flushedAt: VirtualTime?
    public var secondaryLoadedAt: VirtualTime?
    public var primaryRestartedAt: VirtualTime?
    public var stateBytes = 0
    public var released = 0
    public var secondaryDropped = 0
    /// Whether the secondary guest equalled the primary right after loading.
    public var secondaryEqualsPrimary: Bool?
    public var outcome = Outcome.inProgress

    public init(number: Int, trigger: CheckpointTrigger, requestedAt: VirtualTime, absorbedRequests: Int = 0, startedAt: VirtualTime) {
        self.number = number
        self.trigger = trigger
        self.requestedAt = requestedAt
        self.absorbedRequests = absorbedRequests
        self.startedAt = startedAt
    }

    /// How long the primary VM was stopped.
    public var pause: VirtualDuration? {
        guard let stopped = primaryStoppedAt, let restarted = primaryRestartedAt else { return nil }
        return restarted - stopped
    }
}
