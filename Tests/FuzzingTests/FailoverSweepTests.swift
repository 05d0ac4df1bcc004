import Foundation
import Testing
@testable import Fabric
@testable import Deployment
@testable import COLORuntime
@testable import Scenarios
@testable import Fuzzing

/// `lockstep sweep-failover` (issue #8 item 6): the primary is lost right after every event
/// index of a run, between events even at one instant (K-9, K-10).
@Suite("Failover sweep at event indices")
struct FailoverSweepTests {
    static func scenario(_ name: String) throws -> Scenario {
        try ScenarioParser.load(path: FuzzTests.library + "/" + name + ".yaml")
    }

    /// The events a run executed, as `(time, label)`.
    static func events(_ run: COLORun) throws -> ([TraceEntry], RunReport) {
        var run = run
        let recorder = TraceRecorder()
        run.outputs.eventTrace = recorder
        let report = try run.run()
        return (recorder.entries, report)
    }

    @Test("K-10: a host loss after event n adds no event: events 0..<n equal the reference's, the loss is logged at event n−1's instant")
    func lossAfterEventKeepsThePrefix() throws {
        let configuration = try Self.scenario("clean-run").configuration
        let (reference, _) = try Self.events(COLORun(configuration, chooser: CanonicalChooser()))
        // An index whose next event is due at the same instant: the loss falls between the two.
        let index = try #require(reference.indices.dropFirst(50).first { reference[$0].time == reference[$0 + 1].time })
        var run = COLORun(configuration, chooser: CanonicalChooser())
        run.hostLoss = HostLossAtEvent(.primary, afterEvents: index + 1)
        let (crashed, report) = try Self.events(run)
        #expect(Array(crashed.prefix(index + 1)) == Array(reference.prefix(index + 1)))
        let lost = try #require(report.controllerEvents.first { $0.event == .hostLost(.primary) })
        #expect(lost.time == reference[index].time)
        // The event after it still ran at the same instant, after the loss.
        #expect(crashed[index + 1].time == reference[index].time)
        #expect(report.controllerEvents.contains { if case .failover(.secondary, _) = $0.event { true } else { false } })
    }

    @Test("the sweep gives one verdict per event index, named by the reference run's event, in order")
    func oneVerdictPerIndex() throws {
        let sweep = FailoverSweep(scenario: try Self.scenario("clean-run"), maxPoints: 6)
        let events = try sweep.referenceEvents()
        let report = try sweep.run()
        #expect(report.referenceEvents == events.count)
        #expect(report.points.count == 6)
        let indices = report.points.map(\.eventIndex)
        #expect(indices == (0..<6).map { $0 * events.count / 6 })
        for point in report.points {
            #expect(point.event == events[point.eventIndex].label)
            #expect(point.atNanoseconds == events[point.eventIndex].atNanoseconds)
        }
        #expect(report.points.allSatisfy { $0.verdict == "intact" && $0.streamsIntact && $0.workloadComplete })
    }

    @Test("--from/--to bound the swept indices; the scenario's own primary loss is not part of the reference")
    func rangeAndOwnLossRemoved() throws {
        let scenario = try Self.scenario("primary-failover")
        #expect(scenario.configuration.timeline.contains { $0.action == .losePrimary })
        let sweep = FailoverSweep(scenario: scenario, maxPoints: 0, from: 3_000, to: 3_004)
        #expect(!sweep.scenario.configuration.timeline.contains { $0.action == .losePrimary })
        #expect(sweep.indices(eventCount: 10_000) == [3_000, 3_001, 3_002, 3_003, 3_004])
        #expect(sweep.indices(eventCount: 3_002) == [3_000, 3_001])
        #expect(FailoverSweep(scenario: scenario, maxPoints: 3, from: 10, to: 19).indices(eventCount: 100) == [10, 13, 16])
    }

    @Test("K-10: primary lost mid-transfer right after each of 12 events of the 2 MB download: streams intact")
    func midTransferPointsIntact() throws {
        let sweep = FailoverSweep(scenario: try Self.scenario("primary-failover"), maxPoints: 12, from: 100, to: 6_000)
        let report = try sweep.run(jobs: 2)
        #expect(report.points.count == 12)
        for point in report.points {
            #expect(point.verdict == "intact", "event \(point.eventIndex) (\(point.event)): \(point.violations)")
            #expect(point.workloadComplete, "event \(point.eventIndex)")
        }
    }

    @Test("the report does not depend on the number of jobs; its JSON carries a summary")
    func jobsAndJSON() throws {
        let sweep = FailoverSweep(scenario: try Self.scenario("handshake-straddling-checkpoint"), maxPoints: 9, seed: 5)
        let one = try sweep.run(jobs: 1)
        let three = try sweep.run(jobs: 3)
        #expect(one == three)
        #expect(one.seed == 5)
        let data = try JSONEncoder().encode(one)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["points"] as? Int == 9)
        #expect(summary["broken"] as? Int == one.broken.count)
        #expect(try JSONDecoder().decode(FailoverSweepReport.self, from: data) == one)
        #expect(FailoverSweep.table(one).contains("9 failover point(s) of \(one.referenceEvents) event(s) (seed 5)"))
    }

    @Test("a stop the scenario demonstrates (vnet-hdr-mismatch: stop_reason no_progress) is not a broken point")
    func demonstratedStopIsNotBroken() throws {
        let report = try FailoverSweep(scenario: try Self.scenario("vnet-hdr-mismatch")).run()
        #expect(report.points.count == report.referenceEvents)
        #expect(report.broken.isEmpty, "\(report.broken.map(\.verdict))")
    }

    @Test("K-11: divergent-response breaks streams exactly when the primary dies before checkpoint 1's state reaches the secondary")
    func divergenceBeforeCheckpointBreaks() throws {
        let sweep = FailoverSweep(scenario: try Self.scenario("divergent-response"), maxPoints: 16)
        let events = try sweep.referenceEvents()
        let stateArrived = try #require(events.firstIndex { $0.label == "colo state 1 at secondary" })
        let report = try sweep.run(jobs: 2)
        #expect(report.points.contains { $0.eventIndex < stateArrived } && report.points.contains { $0.eventIndex >= stateArrived })
        for point in report.points {
            // Before: the survivor still carries the injected divergence and nothing compares it.
            let expected = point.eventIndex < stateArrived ? "broken: streams_intact" : "intact"
            #expect(point.verdict == expected, "event \(point.eventIndex) (\(point.event)): \(point.violations)")
        }
    }

    @Test("K-11: --lose secondary loses the secondary after each event; the primary carries every stream on alone")
    func secondarySweep() throws {
        let sweep = FailoverSweep(scenario: try Self.scenario("clean-run"), maxPoints: 12, seed: nil, lost: .secondary)
        let report = try sweep.run(jobs: 2)
        #expect(report.lost == .secondary)
        #expect(report.points.count == 12)
        #expect(report.points.allSatisfy { $0.verdict == "intact" && $0.streamsIntact && $0.workloadComplete })
        let point = try #require(report.points.last)
        var run = COLORun(sweep.scenario.configuration, chooser: CanonicalChooser())
        run.simultaneousOrder = .chosen
        run.hostLoss = HostLossAtEvent(.secondary, afterEvents: point.eventIndex + 1)
        let detail = try run.run()
        #expect(detail.controllerEvents.contains { $0.event == .hostLost(.secondary) })
        #expect(detail.controllerEvents.contains { if case .failover(.primary, _) = $0.event { true } else { false } })
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(json.contains("\"lost\":\"secondary\""))
        #expect(FailoverSweep.table(report).hasPrefix("secondary lost right after each event of clean-run"))
    }

    @Test("the secondary sweep's reference run drops the scenario's own host losses")
    func secondarySweepReferenceHasNoHostLoss() throws {
        let sweep = FailoverSweep(scenario: try Self.scenario("primary-failover"), lost: .secondary)
        #expect(!sweep.scenario.configuration.timeline.contains { $0.action == .losePrimary || $0.action == .loseSecondary })
    }
}

