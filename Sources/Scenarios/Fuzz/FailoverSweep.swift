import Fabric
import Foundation

/// One failover instant of a sweep and whether the client's streams survived it.
public struct FailoverSweepPoint: Sendable, Hashable, Codable {
    /// Position among the distinct event instants of the reference run.
    public var eventIndex: Int
    public var atNanoseconds: Int64
    public var streamsIntact: Bool
    public var workloadComplete: Bool
    /// Broken invariants (and watchdog), as in a fuzz run.
    public var violations: [String]
}

/// `lockstep sweep-failover`: loses the primary at every distinct event instant of the
/// scenario's reference run (canonical choices, the scenario's own timeline otherwise kept) and
/// records each verdict.
public struct FailoverSweep {
    public var scenario: Scenario
    /// At most this many instants, taken evenly from the list (0: all of them).
    public var maxPoints: Int

    public init(scenario: Scenario, maxPoints: Int = 0) {
        var scenario = scenario
        scenario.configuration.measuresBaseline = false
        self.scenario = scenario
        self.maxPoints = maxPoints
    }

    /// The distinct instants at which the reference run logged something, in order.
    public func instants() throws(ColoRunError) -> [VirtualDuration] {
        var run = ColoRun(scenario.configuration, chooser: CanonicalChooser())
        run.outputs = RunOutputs(keepsFullLog: true)
        let report = try run.run()
        var times: [VirtualDuration] = []
        for entry in report.fullLog ?? [] {
            let offset = entry.time - VirtualTime.zero
            if times.last != offset { times.append(offset) }
        }
        guard maxPoints > 0, times.count > maxPoints else { return times }
        return (0..<maxPoints).map { times[$0 * times.count / maxPoints] }
    }

    public func point(index: Int, at instant: VirtualDuration) -> FailoverSweepPoint {
        var configuration = scenario.configuration
        configuration.timeline.append(TimelineEvent(at: instant, .losePrimary))
        let target = FuzzTarget(scenario: Scenario(
            name: scenario.name, file: scenario.file, configuration: configuration, expectations: []))
        let (report, violations) = target.run(seed: configuration.seed, chooser: CanonicalChooser())
        return FailoverSweepPoint(
            eventIndex: index, atNanoseconds: instant.nanoseconds,
            streamsIntact: report?.invariant("streams_intact")?.status == .holds,
            workloadComplete: report?.workload.isComplete ?? false, violations: violations)
    }

    public func run() throws(ColoRunError) -> [FailoverSweepPoint] {
        try instants().enumerated().map { point(index: $0.offset, at: $0.element) }
    }

    public static func table(_ points: [FailoverSweepPoint]) -> String {
        var lines = ["index  failover at (s)  streams  workload  violations"]
        for point in points {
            let seconds = String(format: "%.9f", Double(point.atNanoseconds) / 1e9)
            lines.append("\(pad(point.eventIndex, 5))  \(seconds.padding(toLength: 15, withPad: " ", startingAt: 0))  "
                + "\((point.streamsIntact ? "intact" : "BROKEN").padding(toLength: 7, withPad: " ", startingAt: 0))  "
                + "\((point.workloadComplete ? "complete" : "partial").padding(toLength: 8, withPad: " ", startingAt: 0))  "
                + (point.violations.first ?? "-"))
        }
        let broken = points.filter { !$0.streamsIntact }.count
        lines.append("\(points.count) failover instant(s), \(broken) with broken client streams")
        return lines.joined(separator: "\n")
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
