import Fabric
import Primary
import COLORuntime
import Scenarios

/// Locating a fuzz target's broken checks in a run's log.
extension ViolationPoint {
    /// The point of each check `report` broke under `target`, in `violations(of:)` order.
    /// `report.fullLog` must be kept (`RunOutputs.keepsFullLog`); without it every point is the end.
    public static func locate(_ report: RunReport, target: FuzzTarget) -> [ViolationPoint] {
        locate(report, target: target, log: report.fullLog.map(ViolationLogIndex.init(entries:)))
    }

    /// The same from an index gathered while the run went (`RunOutputs.entrySink`), for a run
    /// whose log was not kept; a nil index locates every point at the end.
    public static func locate(_ report: RunReport, target: FuzzTarget, log: ViolationLogIndex?) -> [ViolationPoint] {
        target.failingChecks(of: report).map { locate($0, in: report, log: log) }
    }

    public static func locate(_ check: FailingCheck, in report: RunReport) -> ViolationPoint {
        locate(check, in: report, log: report.fullLog.map(ViolationLogIndex.init(entries:)))
    }

    /// The one place that knows, for each kind of check, which entry made it fail.
    static func locate(_ check: FailingCheck, in report: RunReport, log: ViolationLogIndex?) -> ViolationPoint {
        func at(_ index: Int?, _ note: String, otherwise: String) -> ViolationPoint {
            guard log != nil, let index else { return ViolationPoint(entryCount: nil, check: check.line, note: otherwise) }
            return ViolationPoint(entryCount: index + 1, check: check.line, note: note)
        }
        let starts = log?.checkpointStarts ?? []
        let atEnd = ViolationPoint(entryCount: nil, check: check.line, note: "this check is made on the run's outcome, at its end")
        switch check {
        case .invariant(let verdict):
            return invariant(verdict, check: check, log: log) ?? atEnd
        case .stopReason(let reason):
            return at(log?.firstWatchdog, "the run stops here: \(reason)", otherwise: "the run stopped: \(reason)")
        case .expectation(let result):
            switch result.expectation.kind {
            case .checkpoints(let range):
                let count = starts.count
                guard let max = range.max, count > max else {
                    return ViolationPoint(entryCount: nil, check: check.line,
                                          note: "only \(count) checkpoint(s) by the end of the run, expected \(range)")
                }
                return at(log?.requestIndex(ofCheckpoint: max + 1),
                          "checkpoint \(max + 1) is requested here, one more than the \(range) expected", otherwise: atEnd.note)
            case .checkpointReasons(let expected):
                let reasons = starts.map(\.trigger.token)
                guard let number = firstDifferingCheckpoint(reasons, expected) else {
                    return ViolationPoint(entryCount: nil, check: check.line,
                                          note: "only \(reasons.count) checkpoint(s) by the end of the run, \(expected.count) expected")
                }
                return at(log?.requestIndex(ofCheckpoint: number),
                          "checkpoint \(number) is requested here for \(reasons[number - 1])"
                              + (number <= expected.count ? ", where \(expected[number - 1]) was expected" : ", one more than expected"),
                          otherwise: atEnd.note)
            case .noCheckpointBefore(let limit):
                let early = starts.first { $0.time < VirtualTime.zero + limit }
                return at(early.flatMap { log?.requestIndex(ofCheckpoint: $0.number) },
                          "the first checkpoint is requested here, before \(DurationText.format(limit))", otherwise: atEnd.note)
            case .noFailover:
                return at(log?.firstFailover, "a failover happens here", otherwise: atEnd.note)
            case let .invariant(name, .holds):
                guard let verdict = report.invariant(name), verdict.status == .violated else { return atEnd }
                return invariant(verdict, check: check, log: log) ?? atEnd
            case .checkpointReasonsInclude, .clientReceivedBytes, .workloadComplete, .invariant, .failover, .stopReason,
                 .counter, .releasesOnConnection, .primaryRecord:
                return atEnd
            }
        }
    }

    /// The number (from 1) of the first checkpoint whose reason is not the expected one, or the
    /// first one too many; nil when the run merely had fewer.
    private static func firstDifferingCheckpoint(_ reasons: [String], _ expected: [String]) -> Int? {
        for (index, reason) in reasons.enumerated() where index >= expected.count || expected[index] != reason {
            return index + 1
        }
        return nil
    }

    private static func invariant(_ verdict: InvariantVerdict, check: FailingCheck, log: ViolationLogIndex?) -> ViolationPoint? {
        guard let log else { return nil }
        switch verdict.name {
        case "output_commit":
            return verdict.failedAfterEntries.map {
                ViolationPoint(entryCount: $0, check: check.line, note: "this walk hands a tap a frame that is not the next one a compare released (or the secondary's tap one before any failover)")
            }
        case "streams_intact":
            return verdict.failedAfterEntries.map {
                ViolationPoint(entryCount: $0, check: check.line, note: "the client reads a body byte the service did not send, or a connection fails")
            }
        case "secondary_equals_primary":
            return log.firstUnequalLoad.map {
                ViolationPoint(entryCount: $0 + 1, check: check.line, note: "the loaded secondary differs from the primary")
            }
        case "conservation":
            return ViolationPoint(entryCount: nil, check: check.line,
                                  note: "the ledgers are balanced only at the end of the run, so no earlier entry can be named")
        default:
            return nil
        }
    }
}
