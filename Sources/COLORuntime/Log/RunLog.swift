import Fabric
import Primary
import Secondary
import Deployment

/// One entry of a run's log: what happened, where, at which virtual instant.
public struct RunLogEntry: Sendable, Hashable {
    public var time: VirtualTime
    /// The QEMU process it happened in; nil for the host network and the client.
    public var host: HostRole?
    /// The object that produced it: "net" for the net core, a compare or filter id,
    /// "colo" for the controller, "lan" for the host network.
    public var source: String
    public var event: RunRecord
}

public enum RunRecord: Sendable, Hashable {
    case net(NetHop)
    case compare(CompareDecision)
    case rewriter(RewriterDecision)
    case rewriterQueue(RewriterQueueStep)
    case controller(ControllerStep)
    case lan(LanHop)
}

/// The ordered log of a run: net-core hops of both hosts, compare and rewriter decisions,
/// controller steps and host-network events, each with its virtual time.
///
/// Every entry is folded into `hash` (from a compact digest of its values, never from Swift's
/// seeded hashing), so the hash is the same whether or not the log is written out. Entries are
/// rendered as JSON lines only when `traceLine` is set, kept in memory only when `keepsAll` is
/// set; controller steps, checkpoint requests and drops are always kept (`notable`, capped).
public final class RunLog {
    // Dynamic exclusivity checks on these counters cost more than the folding itself; they are
    // off because the log is single-threaded and folding never calls back into it.
    @exclusivity(unchecked) public private(set) var hash = TraceDigest()
    @exclusivity(unchecked) public private(set) var entryCount = 0
    /// Frame movements seen in the net cores (sends, injections, filter visits that acted,
    /// queueings, deliveries, drops).
    @exclusivity(unchecked) public private(set) var netHops = 0
    public private(set) var entries: [RunLogEntry] = []
    public private(set) var notable: [RunLogEntry] = []
    public private(set) var notableDiscarded = 0
    public static let notableLimit = 20_000

    package let keepsAll: Bool
    var traceLine: ((String) -> Void)?
    /// Unowned without the runtime's liveness check (a strong retain and release of the
    /// scheduler on every entry, for its clock): the world owns both the scheduler and this log,
    /// and entries are recorded only by the world's components while its scheduler runs them.
    private unowned(unsafe) let scheduler: Scheduler

    package init(scheduler: Scheduler, keepsAll: Bool, traceLine: ((String) -> Void)?) {
        self.scheduler = scheduler
        self.keepsAll = keepsAll
        self.traceLine = traceLine
    }

    private var wantsEntries: Bool { keepsAll || traceLine != nil }

    // MARK: Recording

    package func net(_ event: NetHop, host: HostRole) {
        if event.isHop { netHops += 1 }
        fold(host: host, source: 1)
        hash.fold(event)
        if wantsEntries || event.isNotable {
            add(RunLogEntry(time: scheduler.now, host: host, source: "net", event: .net(event)), notable: event.isNotable)
        }
    }

    /// `objectHash` is `FNV1a64.hash(object)`, computed once by the caller.
    package func compare(_ event: CompareDecision, host: HostRole, object: String, objectHash: UInt64) {
        fold(host: host, source: objectHash)
        hash.fold(event)
        let notable: Bool
        switch event {
        case .checkpointRequest, .flush: notable = true
        case .drop(let drop): notable = drop.reason.isUnusual
        case .release, .notifyReceived: notable = false
        }
        if wantsEntries || notable {
            add(RunLogEntry(time: scheduler.now, host: host, source: object, event: .compare(event)), notable: notable)
        }
    }

    /// `objectHash` is `FNV1a64.hash(object)`, computed once by the caller.
    func rewriter(_ event: RewriterDecision, host: HostRole, object: String, objectHash: UInt64) {
        fold(host: host, source: objectHash)
        hash.fold(event)
        let notable: Bool
        switch event {
        case .checkpoint, .failover, .tableReset: notable = true
        default: notable = false
        }
        if wantsEntries || notable {
            add(RunLogEntry(time: scheduler.now, host: host, source: object, event: .rewriter(event)), notable: notable)
        }
    }

    /// `objectHash` is `FNV1a64.hash(object)`, computed once by the caller.
    func rewriterQueue(_ event: RewriterQueueStep, host: HostRole, object: String, objectHash: UInt64) {
        fold(host: host, source: objectHash)
        hash.fold(event)
        let notable: Bool = if case .dropped = event { true } else { false }
        if wantsEntries || notable {
            add(RunLogEntry(time: scheduler.now, host: host, source: object, event: .rewriterQueue(event)), notable: notable)
        }
    }

    package func controller(_ event: ControllerStep) {
        fold(host: nil, source: 2)
        hash.fold(event)
        add(RunLogEntry(time: scheduler.now, host: nil, source: "colo", event: .controller(event)), notable: true)
    }

    package func lan(_ event: LanHop) {
        fold(host: nil, source: 3)
        hash.fold(event)
        let notable: Bool = if case .dropped = event { true } else if case .activeTapChanged = event { true } else { false }
        if wantsEntries || notable {
            add(RunLogEntry(time: scheduler.now, host: nil, source: "lan", event: .lan(event)), notable: notable)
        }
    }

    private func fold(host: HostRole?, source: UInt64) {
        entryCount += 1
        hash.combine(UInt64(bitPattern: scheduler.now.nanoseconds))
        hash.combine(host.map { $0 == .primary ? 1 : 2 } ?? 0)
        hash.combine(source)
    }

    private func add(_ entry: RunLogEntry, notable isNotable: Bool) {
        if let traceLine { traceLine(RunLogJSON.line(entry)) }
        if keepsAll { entries.append(entry) }
        guard isNotable else { return }
        if notable.count < Self.notableLimit {
            notable.append(entry)
        } else {
            notableDiscarded += 1
        }
    }
}

extension NetHop {
    /// A frame moved: everything but skipped filters and state notices.
    var isHop: Bool {
        switch self {
        case .sendStarted, .injectionStarted, .filterPassed, .filterCopied, .filterStole, .queued, .delivered, .dropped:
            true
        case .filterSkipped, .sendCompleted, .vmStateChanged, .filterStatusChanged, .indevReading, .indevFrameRefused,
             .writeBlocked, .walkResumed:
            false
        }
    }

    var isNotable: Bool {
        switch self {
        case .dropped, .filterStatusChanged, .indevReading, .indevFrameRefused, .writeBlocked, .walkResumed: true
        default: false
        }
    }
}

extension CompareDropReason {
    /// Drops that are not part of normal comparison work.
    var isUnusual: Bool {
        switch self {
        case .compared, .noPayload, .retransmission, .checkpointFlush, .unparseable: false
        case .queueFull, .tableReset, .deletionFlush, .emptyRecord, .writeFailed, .compareDeleted: true
        }
    }
}
