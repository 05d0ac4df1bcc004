import Dispatch
import Foundation
import Fabric
import Deployment
import COLORuntime
import Scenarios

/// One executed event of a sweep's reference run: where a failover point sits.
public struct FailoverSweepEvent: Sendable, Hashable, Codable {
    /// 0-based position in execution order (the scheduler trace's index).
    public var index: Int
    public var atNanoseconds: Int64
    /// The event's label, e.g. `lan deliver`, `colo checkpoint timer`.
    public var label: String
}

/// One failover point of a sweep and whether the client's streams survived it.
public struct FailoverSweepPoint: Sendable, Hashable, Codable {
    /// The swept host was lost right after the reference run's event with this index (and before
    /// the next one, even at the same instant).
    public var eventIndex: Int
    public var atNanoseconds: Int64
    /// The label of that event.
    public var event: String
    public var streamsIntact: Bool
    public var workloadComplete: Bool
    /// Broken invariants (and an abnormal stop), `name: detail`, as in a fuzz run.
    public var violations: [String]

    /// Intact when no check broke; otherwise the names of the broken checks.
    public var verdict: String {
        violations.isEmpty ? "intact" : "broken: " + violations.map { String($0.prefix { $0 != ":" }) }.joined(separator: ", ")
    }
}

/// What a sweep did and found.
public struct FailoverSweepReport: Sendable, Hashable, Codable {
    public var scenario: String
    /// The host lost at every point.
    public var lost: HostRole
    /// The seed of the seeded chooser, or nil when choices were canonical.
    public var seed: UInt64?
    /// Events the reference run executed: the sweepable indices are `0..<referenceEvents`.
    public var referenceEvents: Int
    public var points: [FailoverSweepPoint]
    /// The shard of the selected points this report covers (`--shard K/N`); nil for all of them.
    public var shard: ShardSlice?
    /// With a shard: how many points the whole sweep selects, so a merge can tell it is complete.
    public var selectedPoints: Int?

    public var broken: [FailoverSweepPoint] { points.filter { !$0.violations.isEmpty } }
    public var streamsBroken: Int { points.filter { !$0.streamsIntact }.count }
    public var workloadIncomplete: Int { points.filter { !$0.workloadComplete }.count }

    private enum CodingKeys: String, CodingKey {
        case scenario, lost, seed, referenceEvents, shard, selectedPoints, points, summary
    }

    private struct Summary: Codable {
        var points: Int
        var broken: Int
        var streamsBroken: Int
        var workloadIncomplete: Int
        /// Broken points by check name, in name order.
        var byCheck: [CheckCount]
    }

    private struct CheckCount: Codable {
        var check: String
        var count: Int
    }

    public init(scenario: String, lost: HostRole = .primary, seed: UInt64?, referenceEvents: Int, points: [FailoverSweepPoint],
                shard: ShardSlice? = nil, selectedPoints: Int? = nil) {
        self.scenario = scenario
        self.lost = lost
        self.seed = seed
        self.referenceEvents = referenceEvents
        self.points = points
        self.shard = shard
        self.selectedPoints = selectedPoints
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        scenario = try container.decode(String.self, forKey: .scenario)
        lost = try container.decodeIfPresent(HostRole.self, forKey: .lost) ?? .primary
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed)
        referenceEvents = try container.decode(Int.self, forKey: .referenceEvents)
        shard = try container.decodeIfPresent(ShardSlice.self, forKey: .shard)
        selectedPoints = try container.decodeIfPresent(Int.self, forKey: .selectedPoints)
        points = try container.decode([FailoverSweepPoint].self, forKey: .points)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scenario, forKey: .scenario)
        try container.encode(lost, forKey: .lost)
        try container.encodeIfPresent(seed, forKey: .seed)
        try container.encode(referenceEvents, forKey: .referenceEvents)
        try container.encodeIfPresent(shard, forKey: .shard)
        try container.encodeIfPresent(selectedPoints, forKey: .selectedPoints)
        try container.encode(points, forKey: .points)
        try container.encode(Summary(
            points: points.count, broken: broken.count, streamsBroken: streamsBroken,
            workloadIncomplete: workloadIncomplete, byCheck: brokenByCheck.map { CheckCount(check: $0.check, count: $0.count) }),
            forKey: .summary)
    }

    /// `lockstep sweep-failover --format json`.
    public func encoded() throws -> Data {
        try PrettyJSON.encode(self)
    }

    /// Broken points per check name, in name order.
    public var brokenByCheck: [(check: String, count: Int)] {
        var counts: [String: Int] = [:]
        for point in points {
            let names = point.violations.map { String($0.prefix { $0 != ":" }) }
            for (offset, name) in names.enumerated() where !names[..<offset].contains(name) { counts[name, default: 0] += 1 }
        }
        return counts.keys.sorted().map { ($0, counts[$0] ?? 0) }
    }
}

/// `lockstep sweep-failover`: loses the primary right after every event of the scenario's
/// reference run — between events, even several at one instant — and records each verdict.
///
/// The reference run is the scenario without its own primary loss, with canonical choices (or a
/// seeded chooser), simultaneous events ordered by the chooser as in `lockstep fuzz`. Point `i`
/// re-runs it with the same choices and loses the primary after event `i` through
/// `COLORun.hostLoss`, which adds no event, so events `0...i` are exactly the reference's.
public struct FailoverSweep: Sendable {
    public var scenario: Scenario
    /// At most this many points, taken evenly from the range (0: all of them).
    public var maxPoints: Int
    /// First and last event index to sweep (inclusive; nil: the run's first and last event).
    public var from: Int?
    public var to: Int?
    /// Seeded choices instead of canonical ones.
    public var seed: UInt64?
    /// The host lost at every point: the primary (the failover the issue is about) or the
    /// secondary (the primary must carry on without comparison, K-11).
    public var lost: HostRole
    /// The share of the selected points this sweep runs (`--shard K/N`).
    public var shard: ShardSlice

    public init(scenario: Scenario, maxPoints: Int = 0, from: Int? = nil, to: Int? = nil, seed: UInt64? = nil, lost: HostRole = .primary,
                shard: ShardSlice = .whole) {
        var scenario = scenario
        scenario.configuration.measuresBaseline = false
        // The scenario's own loss of the swept host would cut every later point short; losing the
        // secondary after the scenario lost the primary would leave no host at all.
        scenario.configuration.timeline.removeAll {
            $0.action == (lost == .primary ? .losePrimary : .loseSecondary) || (lost == .secondary && $0.action == .losePrimary)
        }
        self.scenario = scenario
        self.lost = lost
        self.shard = shard
        self.maxPoints = maxPoints
        self.from = from
        self.to = to
        self.seed = seed
    }

    private func makeRun() -> COLORun {
        let chooser: any Chooser = seed.map { SeededChooser(seed: $0) } ?? CanonicalChooser()
        var run = COLORun(scenario.configuration, chooser: chooser)
        run.simultaneousOrder = .chosen
        return run
    }

    /// Every event of the reference run, in execution order.
    public func referenceEvents() throws(COLORunError) -> [FailoverSweepEvent] {
        let recorder = TraceRecorder()
        var run = makeRun()
        run.outputs.eventTrace = recorder
        _ = try run.run()
        return recorder.entries.map {
            FailoverSweepEvent(index: $0.sequence, atNanoseconds: $0.time.nanoseconds, label: $0.label)
        }
    }

    /// The indices to sweep among `count` events: the range, then sampled evenly.
    public func indices(eventCount count: Int) -> [Int] {
        let first = max(0, from ?? 0)
        let last = min(count - 1, to ?? count - 1)
        guard first <= last else { return [] }
        let span = last - first + 1
        guard maxPoints > 0, span > maxPoints else { return Array(first...last) }
        return (0..<maxPoints).map { first + $0 * span / maxPoints }
    }

    /// Loses the primary right after `event` and checks the run; `outputs` (a trace, pcaps)
    /// show one point in detail.
    public func point(after event: FailoverSweepEvent, outputs: RunOutputs = RunOutputs()) -> FailoverSweepPoint {
        var run = makeRun()
        run.outputs = outputs
        run.hostLoss = HostLossAtEvent(lost, afterEvents: event.index + 1)
        let report: RunReport
        let violations: [String]
        do {
            report = try run.run()
            // Expectations are not checked, but a violation or stop the scenario demonstrates
            // (`invariants: {x: violated}`, `stop_reason:`) is not a broken point.
            violations = FuzzTarget(scenario: scenario, checksAlwaysExpectations: false).violations(of: report)
        } catch {
            return FailoverSweepPoint(
                eventIndex: event.index, atNanoseconds: event.atNanoseconds, event: event.label,
                streamsIntact: false, workloadComplete: false, violations: ["run_error: \(error)"])
        }
        return FailoverSweepPoint(
            eventIndex: event.index, atNanoseconds: event.atNanoseconds, event: event.label,
            streamsIntact: report.invariant("streams_intact")?.status == .holds,
            workloadComplete: report.workload.isComplete, violations: violations)
    }

    /// Runs the reference (unless its `reference` events are given), then every selected point of
    /// this shard on `jobs` threads (results by index, so the report does not depend on `jobs`).
    public func run(jobs: Int = 1, reference: [FailoverSweepEvent]? = nil,
                    progress: (@Sendable (Int, Int) -> Void)? = nil) throws(COLORunError) -> FailoverSweepReport {
        let events: [FailoverSweepEvent]
        if let reference {
            events = reference
        } else {
            events = try referenceEvents()
        }
        let chosen = indices(eventCount: events.count)
        let selected = shard.positions(among: chosen.count).map { events[chosen[$0]] }
        let store = SweepPointStore(count: selected.count)
        let workers = max(1, min(jobs, selected.count))
        let sweep = self
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for slot in stride(from: worker, to: selected.count, by: workers) {
                let done = store.put(sweep.point(after: selected[slot]), at: slot)
                progress?(done, selected.count)
            }
        }
        return FailoverSweepReport(
            scenario: scenario.name, lost: lost, seed: seed, referenceEvents: events.count, points: store.points,
            shard: shard.isWhole ? nil : shard, selectedPoints: shard.isWhole ? nil : chosen.count)
    }

    /// The progress shown on a terminal while `run` works, overwriting the previous one.
    public static func progressLine(done: Int, total: Int) -> String {
        "\r  \(done)/\(total) points"
    }

    public static func table(_ report: FailoverSweepReport) -> String {
        var lines = ["\(report.lost) lost right after each event of \(report.scenario)",
                     "event  lost after (s)      event label                     streams  workload  verdict"]
        for point in report.points {
            let seconds = String(format: "%.9f", Double(point.atNanoseconds) / 1e9)
            lines.append(pad(point.eventIndex, 5) + "  " + column(seconds, 18) + "  " + column(point.event, 30) + "  "
                + column(point.streamsIntact ? "intact" : "BROKEN", 7) + "  "
                + column(point.workloadComplete ? "complete" : "partial", 8) + "  " + point.verdict)
        }
        let seed = report.seed.map { "seed \($0)" } ?? "canonical choices"
        if let shard = report.shard {
            lines.append("shard \(shard) of the \(report.selectedPoints ?? 0) selected point(s)")
        }
        lines.append("\(report.points.count) failover point(s) of \(report.referenceEvents) event(s) (\(seed)): "
            + "\(report.broken.count) broken, \(report.streamsBroken) with broken client streams, "
            + "\(report.workloadIncomplete) with the workload incomplete")
        for (check, count) in report.brokenByCheck {
            lines.append("  \(check): \(count)")
        }
        return lines.joined(separator: "\n")
    }

    private static func column(_ text: String, _ width: Int) -> String {
        let clipped = text.count > width ? String(text.prefix(width - 1)) + "…" : text
        return clipped.padding(toLength: width, withPad: " ", startingAt: 0)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

/// Sweep points by slot, filled by worker threads.
private final class SweepPointStore: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [FailoverSweepPoint?]
    private var done = 0

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func put(_ point: FailoverSweepPoint, at slot: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        slots[slot] = point
        done += 1
        return done
    }

    var points: [FailoverSweepPoint] {
        lock.lock()
        defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}
