import Fabric
import Deployment
import COLORuntime

/// An inclusive range of counts; a missing bound is open.
public struct CountRange: Sendable, Hashable, CustomStringConvertible {
    public var min: Int?
    public var max: Int?

    public init(min: Int?, max: Int?) {
        self.min = min
        self.max = max
    }

    public func contains(_ value: Int) -> Bool {
        (min.map { value >= $0 } ?? true) && (max.map { value <= $0 } ?? true)
    }

    public var description: String {
        switch (min, max) {
        case let (low?, high?) where low == high: "\(low)"
        case let (low?, high?): "\(low)..\(high)"
        case let (low?, nil): "at least \(low)"
        case let (nil, high?): "at most \(high)"
        case (nil, nil): "any"
        }
    }
}

/// One thing a scenario expects of its run, and where the file says so.
public struct Expectation: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// How many checkpoints started (any trigger).
        case checkpoints(CountRange)
        /// The checkpoints' reason tokens, exactly and in order.
        case checkpointReasons([String])
        /// Each token is the reason of at least one checkpoint.
        case checkpointReasonsInclude([String])
        /// No checkpoint was requested before this time.
        case noCheckpointBefore(VirtualDuration)
        case clientReceivedBytes(CountRange)
        case workloadComplete(Bool)
        /// An invariant's verdict: `holds`, `violated` or `not_checked`.
        case invariant(name: String, status: InvariantVerdict.Status)
        /// A failover by this host completed (K-10 for the secondary, K-11 for the primary).
        case failover(HostRole)
        /// No failover happened.
        case noFailover
        case stopReason(String)
        /// A named counter of the report (see `ReportCounters`).
        case counter(name: String, CountRange)
        /// How many records the compares released on connections whose description contains
        /// the text (e.g. `10.0.0.1:49152`), from the decision events of the run log.
        case releasesOnConnection(String, CountRange)
        /// What became of the compare's primary record with this index: released or dropped.
        case primaryRecord(index: Int, released: Bool)
    }

    public var kind: Kind
    public var line: Int
    public var column: Int
    /// Listed under `always:`: must hold under every ordering, so `lockstep fuzz` checks it on
    /// every run (an `expect:` one holds for the file's seed).
    public var isAlwaysTrue: Bool

    public init(_ kind: Kind, line: Int = 0, column: Int = 0, isAlwaysTrue: Bool = false) {
        self.kind = kind
        self.line = line
        self.column = column
        self.isAlwaysTrue = isAlwaysTrue
    }

    public var description: String {
        switch kind {
        case .checkpoints(let range): "checkpoints: \(range)"
        case .checkpointReasons(let reasons): "checkpoint reasons: [\(reasons.joined(separator: ", "))]"
        case .checkpointReasonsInclude(let reasons): "checkpoint reasons include: [\(reasons.joined(separator: ", "))]"
        case .noCheckpointBefore(let time): "no checkpoint before \(DurationText.format(time))"
        case .clientReceivedBytes(let range): "client received bytes: \(range)"
        case .workloadComplete(let complete): "workload complete: \(complete)"
        case let .invariant(name, status): "invariant \(name): \(status.rawValue)"
        case .failover(let role): "failover by the \(role.rawValue) completed"
        case .noFailover: "no failover"
        case .stopReason(let token): "stop reason: \(token)"
        case let .counter(name, range): "\(name): \(range)"
        case let .releasesOnConnection(text, range): "releases on connection \(text): \(range)"
        case let .primaryRecord(index, released): "primary record #\(index) \(released ? "released" : "dropped")"
        }
    }

    /// Whether the run met this expectation, with what it actually did. On a backend that
    /// cannot observe what it is about (a run on real QEMU has no trace hash to repeat and no
    /// view of the rewriter's table), it is skipped rather than failed.
    public func evaluate(_ report: RunReport) -> ExpectationResult {
        if let reason = unobservable(on: report.backend) {
            return ExpectationResult(expectation: self, passed: true, actual: reason, skipped: true)
        }
        let (passed, actual) = check(report)
        return ExpectationResult(expectation: self, passed: passed, actual: actual)
    }

    private func unobservable(on backend: RunBackend) -> String? {
        guard case .qemu(let qemu) = backend else { return nil }
        switch kind {
        case .invariant(name: "determinism", _):
            return "a run on real QEMU is not deterministic"
        case .counter(let name, _) where qemu.unobservedCounters.contains(name):
            return "\(name) is not observable from outside QEMU"
        default:
            return nil
        }
    }

    private func check(_ report: RunReport) -> (Bool, String) {
        let reasons = report.checkpoints.map(\.trigger.token)
        switch kind {
        case .checkpoints(let range):
            return (range.contains(report.checkpoints.count), "\(report.checkpoints.count) checkpoint(s)" + Self.listed(reasons))
        case .checkpointReasons(let expected):
            return (reasons == expected, "reasons [\(reasons.joined(separator: ", "))]")
        case .checkpointReasonsInclude(let expected):
            let missing = expected.filter { !reasons.contains($0) }
            return (missing.isEmpty, missing.isEmpty ? "reasons [\(reasons.joined(separator: ", "))]"
                : "missing \(missing.joined(separator: ", ")); reasons [\(reasons.joined(separator: ", "))]")
        case .noCheckpointBefore(let time):
            let limit = VirtualTime.zero + time
            let early = report.checkpoints.first { $0.requestedAt < limit }
            return (early == nil, early.map { "checkpoint \($0.number) (\($0.trigger.token)) requested at \($0.requestedAt)" }
                ?? "first checkpoint " + (report.checkpoints.first.map { "requested at \($0.requestedAt)" } ?? "never"))
        case .clientReceivedBytes(let range):
            return (range.contains(report.workload.clientBytesReceived), "\(report.workload.clientBytesReceived) bytes")
        case .workloadComplete(let expected):
            let workload = report.workload
            return (workload.isComplete == expected,
                    "\(workload.connectionsCompleted)/\(workload.connections) connections, \(workload.requestsCompleted)/\(workload.requestsExpected) exchanges")
        case let .invariant(name, status):
            guard let verdict = report.invariant(name) else { return (false, "no invariant named \(name) in the report") }
            return (verdict.status == status, "\(verdict.status.rawValue): \(verdict.detail)")
        case .failover(let role):
            let failovers = Self.failovers(report)
            let found = failovers.first { $0.role == role }
            return (found != nil, found.map { "at \($0.time): \($0.detail)" }
                ?? (failovers.isEmpty ? "no failover" : "failover by \(failovers[0].role.rawValue) instead"))
        case .noFailover:
            let failovers = Self.failovers(report)
            return (failovers.isEmpty, failovers.first.map { "failover by \($0.role.rawValue) at \($0.time)" } ?? "no failover")
        case .stopReason(let token):
            return (report.stopReason.token == token, "\(report.stopReason.token) (\(report.stopReason))")
        case let .counter(name, range):
            guard let value = ReportCounters.value(name, in: report) else { return (false, "no counter named \(name)") }
            return (range.contains(value), "\(value)")
        case let .releasesOnConnection(text, range):
            return ReleaseExpectations.releases(on: text, range, in: report)
        case let .primaryRecord(index, released):
            return ReleaseExpectations.primaryRecord(index, released: released, in: report)
        }
    }

    /// Whether evaluating it needs every compare decision of the run (`RunReport.fullLog`).
    public var needsFullLog: Bool {
        switch kind {
        case .releasesOnConnection, .primaryRecord: true
        default: false
        }
    }

    private static func listed(_ reasons: [String]) -> String {
        reasons.isEmpty ? "" : " [\(reasons.joined(separator: ", "))]"
    }

    private static func failovers(_ report: RunReport) -> [(role: HostRole, time: VirtualTime, detail: String)] {
        report.controllerEvents.compactMap { entry in
            if case let .failover(role, detail) = entry.event { (role, entry.time, detail) } else { nil }
        }
    }
}

public struct ExpectationResult: Sendable, Hashable {
    public var expectation: Expectation
    public var passed: Bool
    /// What the run did, for the pass/fail line.
    public var actual: String
    /// Not checked: the backend cannot observe it (`passed` is then true).
    public var skipped = false

    /// `PASS checkpoints: 1 — 1 checkpoint(s) [payload_mismatch]`.
    public var line: String {
        "\(skipped ? "SKIP" : passed ? "PASS" : "FAIL") \(expectation.description) — \(actual)"
    }
}

/// The report's counters by the names scenario files use under `expect: counters:`.
public enum ReportCounters {
    public static let names: [String] = [
        "checkpoints", "periodic_checkpoints", "requested_checkpoints",
        "client_bytes_received", "client_bytes_sent", "requests_completed", "connections_completed",
        "connection_errors", "client_frames_sent", "client_frames_received",
        "compare_primary_records", "compare_secondary_records", "compare_released",
        "compare_primary_dropped", "compare_secondary_dropped", "compare_checkpoint_requests",
        "rewriter_frames_seen", "rewriter_rewritten", "rewriter_copies_held",
        "primary_dropped", "secondary_dropped", "primary_guest_frames_out", "secondary_guest_frames_out",
        "primary_guest_frames_refused", "secondary_guest_frames_refused",
        "primary_main_loop_wedges", "secondary_main_loop_wedges",
        "primary_main_loop_wedged_at_end", "secondary_main_loop_wedged_at_end",
        "primary_guest_stack_drops", "secondary_guest_stack_drops",
        "link_lost", "pipe_bytes_lost", "pipe_bytes_dropped_by_fault", "compare_framing_errors",
        "compare_released_unparsed", "compare_dropped_unparsed", "compare_write_failed",
        "rewriter_table_entries", "rewriter_entries_removed",
        "udp_queries_sent", "udp_queries_answered", "guest_requests_completed", "guest_connection_errors",
    ]

    public static func value(_ name: String, in report: RunReport) -> Int? {
        let traffic = report.traffic
        let compares = traffic.compares
        let rewriters = traffic.rewriters
        switch name {
        case "checkpoints": return report.checkpoints.count
        case "periodic_checkpoints": return report.checkpoints.count - report.requestedCheckpoints.count
        case "requested_checkpoints": return report.requestedCheckpoints.count
        case "client_bytes_received": return report.workload.clientBytesReceived
        case "client_bytes_sent": return report.workload.clientBytesSent
        case "requests_completed": return report.workload.requestsCompleted
        case "connections_completed": return report.workload.connectionsCompleted
        case "connection_errors": return report.workload.connectionErrors
        case "client_frames_sent": return traffic.clientFramesSent
        case "client_frames_received": return traffic.clientFramesReceived
        case "compare_primary_records": return compares.reduce(0) { $0 + $1.primaryRecords }
        case "compare_secondary_records": return compares.reduce(0) { $0 + $1.secondaryRecords }
        case "compare_released": return compares.reduce(0) { $0 + $1.released }
        case "compare_primary_dropped": return compares.reduce(0) { $0 + $1.primaryDropped }
        case "compare_secondary_dropped": return compares.reduce(0) { $0 + $1.secondaryDropped }
        case "compare_checkpoint_requests": return compares.reduce(0) { $0 + $1.checkpointRequests }
        case "rewriter_frames_seen": return rewriters.reduce(0) { $0 + $1.framesSeen }
        case "rewriter_rewritten": return rewriters.reduce(0) { $0 + $1.rewritten }
        case "rewriter_copies_held": return rewriters.reduce(0) { $0 + $1.copiesHeld }
        case "primary_dropped": return traffic.primary.dropped
        case "secondary_dropped": return traffic.secondary.dropped
        case "primary_guest_frames_out": return traffic.primary.guestFramesOut
        case "secondary_guest_frames_out": return traffic.secondary.guestFramesOut
        case "primary_guest_frames_refused": return traffic.primary.guestFramesRefused
        case "secondary_guest_frames_refused": return traffic.secondary.guestFramesRefused
        case "primary_main_loop_wedges": return traffic.primary.mainLoopWedges
        case "secondary_main_loop_wedges": return traffic.secondary.mainLoopWedges
        case "primary_main_loop_wedged_at_end": return traffic.primary.mainLoopWedgedAtEnd ? 1 : 0
        case "secondary_main_loop_wedged_at_end": return traffic.secondary.mainLoopWedgedAtEnd ? 1 : 0
        case "primary_guest_stack_drops": return traffic.primary.guestStackDrops
        case "secondary_guest_stack_drops": return traffic.secondary.guestStackDrops
        case "link_lost": return ledgerOutcome("dropped: lost on the link", in: report)
        case "pipe_bytes_lost": return ledgerOutcome("dropped: lost with the connection", in: report)
        case "pipe_bytes_dropped_by_fault": return ledgerOutcome("dropped: fault injected", in: report)
        case "compare_write_failed": return ledgerOutcome("dropped: write failed", in: report)
        case "guest_requests_completed": return report.workload.guestRequestsCompleted
        case "guest_connection_errors": return report.workload.guestConnectionErrors
        case "udp_queries_sent": return report.workload.datagramQueriesSent
        case "udp_queries_answered": return report.workload.datagramQueriesAnswered
        case "rewriter_table_entries": return rewriters.reduce(0) { $0 + $1.tableEntries }
        case "rewriter_entries_removed": return rewriters.reduce(0) { $0 + $1.entriesRemoved }
        case "compare_released_unparsed": return compares.reduce(0) { $0 + $1.releasedUnparsed }
        case "compare_dropped_unparsed": return compares.reduce(0) { $0 + $1.droppedUnparsed }
        case "compare_framing_errors": return compares.reduce(0) { $0 + $1.framingErrors }
        default: return nil
        }
    }

    /// One outcome summed over every conservation ledger that has it.
    private static func ledgerOutcome(_ outcome: String, in report: RunReport) -> Int {
        report.ledgers.reduce(0) { sum, ledger in sum + ledger.outcomes.filter { $0.outcome == outcome }.reduce(0) { $0 + $1.count } }
    }
}
