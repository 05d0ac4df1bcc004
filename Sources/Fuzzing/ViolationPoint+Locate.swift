import Fabric
import Primary
import COLORuntime
import Scenarios

/// Locating a fuzz target's broken checks in a run's log.
extension ViolationPoint {
    /// The point of each check `report` broke under `target`, in `violations(of:)` order.
    /// `report.fullLog` must be kept (`RunOutputs.keepsFullLog`); without it every point is the end.
    public static func locate(_ report: RunReport, target: FuzzTarget) -> [ViolationPoint] {
        target.failingChecks(of: report).map { locate($0, in: report) }
    }

    /// The one place that knows, for each kind of check, which entry made it fail.
    public static func locate(_ check: FailingCheck, in report: RunReport) -> ViolationPoint {
        let log = ViolationSearch(entries: report.fullLog ?? [])
        func at(_ index: Int?, _ note: String, otherwise: String) -> ViolationPoint {
            guard report.fullLog != nil, let index else { return ViolationPoint(entryCount: nil, check: check.line, note: otherwise) }
            return ViolationPoint(entryCount: index + 1, check: check.line, note: note)
        }
        let atEnd = ViolationPoint(entryCount: nil, check: check.line, note: "this check is made on the run's outcome, at its end")
        switch check {
        case .invariant(let verdict):
            return invariant(verdict, check: check, log: log, report: report) ?? atEnd
        case .stopReason(let reason):
            return at(log.firstIndex { if case .controller(.watchdog) = $0 { true } else { false } },
                      "the run stops here: \(reason)", otherwise: "the run stopped: \(reason)")
        case .expectation(let result):
            switch result.expectation.kind {
            case .checkpoints(let range):
                let count = log.checkpointStarts.count
                guard let max = range.max, count > max else {
                    return ViolationPoint(entryCount: nil, check: check.line,
                                          note: "only \(count) checkpoint(s) by the end of the run, expected \(range)")
                }
                return at(log.requestIndex(ofCheckpoint: max + 1),
                          "checkpoint \(max + 1) is requested here, one more than the \(range) expected", otherwise: atEnd.note)
            case .checkpointReasons(let expected):
                let reasons = log.checkpointStarts.map(\.trigger.token)
                guard let number = firstDifferingCheckpoint(reasons, expected) else {
                    return ViolationPoint(entryCount: nil, check: check.line,
                                          note: "only \(reasons.count) checkpoint(s) by the end of the run, \(expected.count) expected")
                }
                return at(log.requestIndex(ofCheckpoint: number),
                          "checkpoint \(number) is requested here for \(reasons[number - 1])"
                              + (number <= expected.count ? ", where \(expected[number - 1]) was expected" : ", one more than expected"),
                          otherwise: atEnd.note)
            case .noCheckpointBefore(let limit):
                let early = log.checkpointStarts.first { $0.time < VirtualTime.zero + limit }
                return at(early.flatMap { log.requestIndex(ofCheckpoint: $0.number) },
                          "the first checkpoint is requested here, before \(DurationText.format(limit))", otherwise: atEnd.note)
            case .noFailover:
                return at(log.firstIndex { if case .controller(.failover) = $0 { true } else { false } },
                          "a failover happens here", otherwise: atEnd.note)
            case let .invariant(name, .holds):
                guard let verdict = report.invariant(name), verdict.status == .violated else { return atEnd }
                return invariant(verdict, check: check, log: log, report: report) ?? atEnd
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

    private static func invariant(_ verdict: InvariantVerdict, check: FailingCheck, log: ViolationSearch,
                                  report: RunReport) -> ViolationPoint? {
        guard report.fullLog != nil else { return nil }
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
            return log.firstIndex { if case .controller(.secondaryLoaded(_, false)) = $0 { true } else { false } }.map {
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

/// Finds the entries the locator names.
private struct ViolationSearch {
    let entries: [RunLogEntry]

    func firstIndex(where matches: (RunRecord) -> Bool) -> Int? {
        entries.firstIndex { matches($0.event) }
    }

    /// Every `checkpointStarted` entry: its index, number, trigger and time, in log order.
    var checkpointStarts: [(index: Int, number: Int, trigger: CheckpointTrigger, time: VirtualTime)] {
        entries.indices.compactMap { index in
            if case let .controller(.checkpointStarted(number, trigger)) = entries[index].event {
                (index, number, trigger, entries[index].time)
            } else {
                nil
            }
        }
    }

    /// The entry that asked for checkpoint `number`: the compare's request when a compare asked,
    /// else the controller's request that set the checkpoint event, else the start itself.
    func requestIndex(ofCheckpoint number: Int) -> Int? {
        guard let start = checkpointStarts.first(where: { $0.number == number }) else { return nil }
        let request = entries[..<start.index].lastIndex { entry in
            if case .controller(.checkpointRequested(start.trigger, coalesced: false)) = entry.event { true } else { false }
        }
        guard let request else { return start.index }
        guard case let .compare(object, compareRequest?) = start.trigger else { return request }
        let decision = entries[..<request].lastIndex { entry in
            if entry.source == object, case .compare(.checkpointRequest(compareRequest)) = entry.event { true } else { false }
        }
        return decision ?? request
    }
}
