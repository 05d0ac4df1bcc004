import Fabric
import GuestStack

/// What a COLO run did and whether its invariants held. A value; the CLI only renders it.
public struct RunReport: Sendable, Hashable {
    public var seed: UInt64
    /// The filter lists and compares that ran, e.g. `primary hn0: m0, redire0, redire1; comp0`.
    public var topology: [String]
    public var duration: VirtualDuration
    public var endTime: VirtualTime
    public var stopReason: RunStopReason
    public var workload: WorkloadSummary
    /// The same workload without COLO (client ↔ one guest over the same link), when measured.
    public var baseline: WorkloadSummary?
    public var traffic: TrafficSummary
    public var checkpoints: [CheckpointRecord]
    public var invariants: [InvariantVerdict]
    public var ledgers: [ConservationLedger]
    /// Controller steps, checkpoint requests, failovers, drops (capped at `RunLog.notableLimit`).
    public var notableEvents: [RunLogEntry]
    /// Every log entry, when the run was asked to keep them.
    public var fullLog: [RunLogEntry]?
    /// Events the scheduler ran.
    public var schedulerEvents: Int
    public var logEntries: Int
    /// Simulated packet hops: frame movements in the net cores, records through chardev pipes,
    /// frames across the host network.
    public var hops: Int
    /// Folds every log entry and the scheduler's own trace hash.
    public var traceHash: UInt64
    /// What ran the network path: Lockstep's emulation, or real QEMU processes.
    public var backend: RunBackend

    public init(
        seed: UInt64, topology: [String], duration: VirtualDuration, endTime: VirtualTime, stopReason: RunStopReason,
        workload: WorkloadSummary, baseline: WorkloadSummary?, traffic: TrafficSummary, checkpoints: [CheckpointRecord],
        invariants: [InvariantVerdict], ledgers: [ConservationLedger], notableEvents: [RunLogEntry], fullLog: [RunLogEntry]?,
        schedulerEvents: Int, logEntries: Int, hops: Int, traceHash: UInt64, backend: RunBackend = .emulated
    ) {
        self.seed = seed
        self.topology = topology
        self.duration = duration
        self.endTime = endTime
        self.stopReason = stopReason
        self.workload = workload
        self.baseline = baseline
        self.traffic = traffic
        self.checkpoints = checkpoints
        self.invariants = invariants
        self.ledgers = ledgers
        self.notableEvents = notableEvents
        self.fullLog = fullLog
        self.schedulerEvents = schedulerEvents
        self.logEntries = logEntries
        self.hops = hops
        self.traceHash = traceHash
        self.backend = backend
    }

    public var traceHashText: String {
        let hex = String(traceHash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Whether every checked invariant held.
    public var invariantsHold: Bool { invariants.allSatisfy { $0.status != .violated } }

    public func invariant(_ name: String) -> InvariantVerdict? {
        invariants.first { $0.name == name }
    }

    /// Checkpoints whose trigger was not the periodic timer.
    public var requestedCheckpoints: [CheckpointRecord] {
        checkpoints.filter { $0.trigger != .periodic }
    }

    /// Entries of the controller (COLO) in order: checkpoints, failovers, timeline.
    public var controllerEvents: [(time: VirtualTime, event: ControllerStep)] {
        notableEvents.compactMap { entry in
            if case .controller(let event) = entry.event { (entry.time, event) } else { nil }
        }
    }
}

public enum RunStopReason: Sendable, Hashable, CustomStringConvertible {
    case durationReached
    case workloadCompleted
    /// Nothing was left to happen.
    case idle
    case eventBudgetExhausted(Int)
    /// Watchdog: this many events ran at one virtual instant.
    case stuckAtInstant(VirtualTime, events: Int)
    /// Watchdog: the unfinished workload moved no byte since then.
    case noProgress(since: VirtualTime)
    case schedulerFailure(String)
    /// A real QEMU of the run crashed, hung or refused a command; the detail quotes its stderr.
    case backendFailed(String)

    public var token: String {
        switch self {
        case .durationReached: "duration_reached"
        case .workloadCompleted: "workload_completed"
        case .idle: "idle"
        case .eventBudgetExhausted: "event_budget_exhausted"
        case .stuckAtInstant: "stuck_at_instant"
        case .noProgress: "no_progress"
        case .schedulerFailure: "scheduler_failure"
        case .backendFailed: "backend_failed"
        }
    }

    /// True when a watchdog or a failure ended the run.
    public var isAbnormal: Bool {
        switch self {
        case .durationReached, .workloadCompleted, .idle: false
        default: true
        }
    }

    public var description: String {
        switch self {
        case .durationReached: "the configured duration was reached"
        case .workloadCompleted: "the workload completed"
        case .idle: "nothing was left to happen"
        case .eventBudgetExhausted(let budget): "watchdog: the event budget of \(budget) events was spent"
        case let .stuckAtInstant(time, events): "watchdog: \(events) events ran at \(time) without virtual time advancing"
        case .noProgress(let since): "watchdog: the workload moved no byte since \(since)"
        case .schedulerFailure(let message): "scheduler failure: \(message)"
        case .backendFailed(let message): "backend failed: \(message)"
        }
    }
}

/// The client's view of a run.
public struct WorkloadSummary: Sendable, Hashable {
    public var connections = 0
    public var connectionsCompleted = 0
    public var requestsCompleted = 0
    public var requestsExpected = 0
    public var clientBytesSent = 0
    public var clientBytesReceived = 0
    public var connectionErrors = 0
    /// UDP queries sent (retries included) and answered, when the run has a datagram workload.
    public var datagramQueriesSent = 0
    public var datagramQueriesAnswered = 0
    /// Exchanges the primary guest completed and connection errors it saw as a client of the
    /// client host (``COLORunConfiguration/guestWorkload``).
    public var guestRequestsCompleted = 0
    public var guestConnectionErrors = 0
    /// Mean time from connect to established.
    public var meanConnectTime: VirtualDuration?
    /// Mean time of one request/response exchange (think time excluded), over completed
    /// connections.
    public var meanExchangeTime: VirtualDuration?
    /// When the last connection finished its last exchange.
    public var completedAt: VirtualTime?

    public var isComplete: Bool { connections > 0 && connectionsCompleted == connections }

    public init() {}

    public init(reports: [ClientConnectionReport], workload: WorkloadConfiguration) {
        connections = reports.count
        requestsExpected = workload.connections * workload.requestsPerConnection
        var connectSum: Int64 = 0
        var connectCount: Int64 = 0
        var exchangeSum: Int64 = 0
        var exchangeCount: Int64 = 0
        for report in reports {
            requestsCompleted += report.requestsCompleted
            clientBytesSent += report.sent.count
            clientBytesReceived += report.received.count
            if report.error != nil { connectionErrors += 1 }
            if let started = report.startedAt, let established = report.establishedAt {
                connectSum += (established - started).nanoseconds
                connectCount += 1
            }
            guard report.requestsCompleted == workload.requestsPerConnection, report.error == nil,
                  let established = report.establishedAt, let finished = report.finishedAt else { continue }
            connectionsCompleted += 1
            let thinking = workload.thinkTime.nanoseconds * Int64(workload.requestsPerConnection - 1)
            exchangeSum += (finished - established).nanoseconds - thinking
            exchangeCount += Int64(workload.requestsPerConnection)
            completedAt = max(completedAt ?? finished, finished)
        }
        if connectCount > 0 { meanConnectTime = .nanoseconds(connectSum / connectCount) }
        if exchangeCount > 0 { meanExchangeTime = .nanoseconds(exchangeSum / exchangeCount) }
    }
}

/// Frame and record counts of a run.
public struct TrafficSummary: Sendable, Hashable {
    public struct Host: Sendable, Hashable {
        public var walks = 0
        public var delivered = 0
        public var stolen = 0
        public var dropped = 0
        public var guestFramesIn = 0
        /// Frames the guest's NIC refused (F-12, F-14): virtio-net while the VM is stopped, e1000
        /// without a receive buffer (a stalled guest). The net core counts them as dropped.
        public var guestFramesRefused = 0
        public var guestFramesOut = 0
        public var guestStackDrops = 0
        public var tapFramesRead = 0
        public var tapFramesTransmitted = 0
        /// Times a filter's blocked write wedged the main loop (M-4, R-3), and whether it was
        /// still wedged when the run ended.
        public var mainLoopWedges = 0
        public var mainLoopWedgedAtEnd = false

        public init() {}
    }

    public struct Compare: Sendable, Hashable {
        public var id: String
        public var primaryRecords = 0
        public var secondaryRecords = 0
        public var released = 0
        public var primaryDropped = 0
        public var secondaryDropped = 0
        public var checkpointRequests = 0
        /// Framing errors on its inputs; each one ends reading of that input (W-10).
        public var framingErrors = 0
        /// Primary records forwarded uncompared because they do not parse (C-3).
        public var releasedUnparsed = 0
        /// Records dropped uncompared because they do not parse (C-4).
        public var droppedUnparsed = 0

        public init(
            id: String, primaryRecords: Int = 0, secondaryRecords: Int = 0, released: Int = 0, primaryDropped: Int = 0,
            secondaryDropped: Int = 0, checkpointRequests: Int = 0, framingErrors: Int = 0, releasedUnparsed: Int = 0,
            droppedUnparsed: Int = 0
        ) {
            self.id = id
            self.primaryRecords = primaryRecords
            self.secondaryRecords = secondaryRecords
            self.released = released
            self.primaryDropped = primaryDropped
            self.secondaryDropped = secondaryDropped
            self.checkpointRequests = checkpointRequests
            self.framingErrors = framingErrors
            self.releasedUnparsed = releasedUnparsed
            self.droppedUnparsed = droppedUnparsed
        }
    }

    public struct Rewriter: Sendable, Hashable {
        public var id: String
        public var framesSeen = 0
        public var rewritten = 0
        public var copiesHeld = 0
        public var inFailoverMode = false
        /// Connections left in the rewriter's table at the end (RW-14: a passive close with a
        /// non-zero offset never removes its entry).
        public var tableEntries = 0
        public var entriesRemoved = 0
    }

    public struct Pipe: Sendable, Hashable {
        public var name: String
        public var records: Int
        public var bytes: UInt64

        public init(name: String, records: Int, bytes: UInt64) {
            self.name = name
            self.records = records
            self.bytes = bytes
        }
    }

    public var clientFramesSent = 0
    public var clientFramesReceived = 0
    public var primary = Host()
    public var secondary = Host()
    public var compares: [Compare] = []
    public var rewriters: [Rewriter] = []
    public var pipes: [Pipe] = []

    public init() {}
}

/// One invariant's verdict.
public struct InvariantVerdict: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case holds
        case violated
        case notChecked = "not_checked"
    }

    /// Stable token: `output_commit`, `streams_intact`, `conservation`,
    /// `secondary_equals_primary`, `determinism`.
    public var name: String
    public var status: Status
    public var detail: String
    /// How many log entries had been written when the check first failed, when the run kept its
    /// whole log and the check knows its instant (output commit, client streams); nil otherwise.
    public var failedAfterEntries: Int?

    public init(name: String, status: Status, detail: String, failedAfterEntries: Int? = nil) {
        self.name = name
        self.status = status
        self.detail = detail
        self.failedAfterEntries = failedAfterEntries
    }
}

/// Nothing lost silently: what entered a component, where each item went, what is still
/// inside it at the end.
public struct ConservationLedger: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        public var outcome: String
        public var count: Int

        public init(outcome: String, count: Int) {
            self.outcome = outcome
            self.count = count
        }
    }

    public var component: String
    /// What is counted (frames, records, bytes).
    public var unit: String
    public var entered: Int
    public var outcomes: [Line]
    public var pending: Int

    public init(component: String, unit: String, entered: Int, outcomes: [Line], pending: Int) {
        self.component = component
        self.unit = unit
        self.entered = entered
        self.outcomes = outcomes
        self.pending = pending
    }

    public var accounted: Int { outcomes.reduce(0) { $0 + $1.count } + pending }
    public var balances: Bool { accounted == entered }
}
