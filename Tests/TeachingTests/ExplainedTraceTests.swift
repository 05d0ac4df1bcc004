import Foundation
import Testing
@testable import Fabric
@testable import Primary
@testable import Deployment
@testable import COLORuntime
@testable import Scenarios
@testable import Fuzzing
@testable import Teaching

/// Issue 8 item 3: `lockstep replay` prints the explained trace of the run up to the entry where
/// the broken check became true (`ViolationPoint`), rendered by `ExplainedTrace`.
@Suite("Explained trace up to the violation")
struct ExplainedTraceTests {
    static let library = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios").path

    /// What `lockstep fuzz scenarios/clean-run.yaml --mutant payload-offset-off-by-one` shrinks
    /// run 0 (base seed 1) to: no decision left, one exchange of empty bodies.
    static let shrunkSeed: UInt64 = 10_451_216_379_200_822_465
    static let shrunkReduction = WorkloadReduction(connections: 1, requestsPerConnection: 1, requestSize: 0, responseSize: 0)

    static func target(_ name: String, mutant: EngineMutant? = nil, reduction: WorkloadReduction? = nil) throws -> FuzzTarget {
        let scenario = try ScenarioParser.load(path: library + "/" + name + ".yaml")
        return FuzzTarget(scenario: scenario, mutant: mutant).reduced(by: reduction)
    }

    static func replay(_ target: FuzzTarget, seed: UInt64, decisions: [UInt64] = []) throws -> RunReport {
        let (report, _) = target.replay(seed: seed, decisions: decisions, outputs: RunOutputs(keepsFullLog: true))
        return try #require(report)
    }

    static func shrunkMutantRun() throws -> (FuzzTarget, RunReport) {
        let target = try target("clean-run", mutant: .payloadOffsetOffByOne, reduction: shrunkReduction)
        return (target, try replay(target, seed: shrunkSeed))
    }

    @Test("C-11: the shrunk payload-offset-off-by-one failure on clean-run explains itself as the golden file says")
    func golden() throws {
        let (target, report) = try Self.shrunkMutantRun()
        let text = ExplainedTrace.render(try #require(report.fullLog), violations: ViolationPoint.locate(report, target: target))
        if let difference = try TeachFixtures.checkGolden(text, name: "replay-payload-offset-off-by-one.txt") {
            Issue.record("\(difference)")
        }
    }

    @Test("C-11/C-18: checkpoints: 0 fails at the compare's checkpoint request, and the trace stops there")
    func stopsAtCheckpointRequest() throws {
        let (target, report) = try Self.shrunkMutantRun()
        let log = try #require(report.fullLog)
        let points = ViolationPoint.locate(report, target: target)
        let point = try #require(points.first)
        #expect(point.check.hasPrefix("expectation: FAIL checkpoints: 0"))
        let count = try #require(point.entryCount)
        guard case .compare(.checkpointRequest(let request)) = log[count - 1].event else {
            Issue.record("stops at \(log[count - 1].event)")
            return
        }
        #expect(request.reason.token == "payload_mismatch")
        let lines = ExplainedTrace.render(log, violations: points).split(separator: "\n").map(String.init)
        let marker = try #require(lines.firstIndex { $0.hasPrefix(">>> VIOLATION expectation: FAIL checkpoints: 0") })
        #expect(lines[marker - 3].contains("CHECKPOINT REQUEST (payload_mismatch)"), "\(lines[marker - 3])")
        #expect(lines[marker + 1] == "... \(log.count - count) later entries not shown (--full shows them)")
        #expect(marker + 2 == lines.count)
        // Nothing after the request is explained: the checkpoint it starts is cut.
        #expect(!lines.contains { $0.contains("checkpoint 1 starts") })
        let full = ExplainedTrace.render(log, violations: points, options: ExplainedTrace.Options(full: true))
        #expect(full.contains("checkpoint 1 starts (payload_mismatch)"))
        #expect(full.contains(">>> VIOLATION expectation: FAIL checkpoints: 0"))
        #expect(full.split(separator: "\n").count == lines.count - 1 + (log.count - count))
    }

    @Test("K-2: checkpoint_reasons and no_checkpoint_before fail at the request of the checkpoint that broke them")
    func checkpointReasonsAndTime() throws {
        let (shrunk, report) = try Self.shrunkMutantRun()
        var target = shrunk
        target.scenario.expectations = [
            Expectation(.checkpointReasons(["timeout"]), isAlwaysTrue: true),
            Expectation(.noCheckpointBefore(.milliseconds(1)), isAlwaysTrue: true),
            Expectation(.checkpointReasonsInclude(["timeout"]), isAlwaysTrue: true),
        ]
        let log = try #require(report.fullLog)
        let points = ViolationPoint.locate(report, target: target)
        #expect(points.count == 3)
        for point in points.prefix(2) {
            let count = try #require(point.entryCount, "\(point)")
            guard case .compare(.checkpointRequest) = log[count - 1].event else {
                Issue.record("\(point.check) stops at \(log[count - 1].event)")
                continue
            }
        }
        #expect(points[0].note == "checkpoint 1 is requested here for payload_mismatch, where timeout was expected")
        // A reason that never came can only be missed at the end.
        #expect(points[2].entryCount == nil)
    }

    @Test("K-7: secondary_equals_primary fails at the load whose guest differs")
    func secondaryEqualsPrimary() throws {
        var (_, report) = try Self.shrunkMutantRun()
        var log = try #require(report.fullLog)
        let load = try #require(log.firstIndex { if case .controller(.secondaryLoaded) = $0.event { true } else { false } })
        log[load].event = .controller(.secondaryLoaded(number: 1, equalsPrimary: false))
        report.fullLog = log
        let verdict = InvariantVerdict(name: "secondary_equals_primary", status: .violated, detail: "differs after load 1")
        let point = ViolationPoint.locate(.invariant(verdict), in: report)
        #expect(point.entryCount == load + 1)
        #expect(ExplainedTrace.render(log, violations: [point]).contains("its guest DIFFERS from the primary's (K-7)\n>>> VIOLATION"))
    }

    @Test("output commit and streams stop where the run recorded their first failure; conservation only at the end")
    func invariantsFromTheRun() throws {
        let (_, report) = try Self.shrunkMutantRun()
        let commit = InvariantVerdict(name: "output_commit", status: .violated, detail: "x", failedAfterEntries: 42)
        #expect(ViolationPoint.locate(.invariant(commit), in: report).entryCount == 42)
        let conservation = InvariantVerdict(name: "conservation", status: .violated, detail: "x")
        let point = ViolationPoint.locate(.invariant(conservation), in: report)
        #expect(point.entryCount == nil)
        let log = try #require(report.fullLog)
        let text = ExplainedTrace.render(log, violations: [point])
        #expect(text.hasSuffix(">>> VIOLATION conservation: x (at the end of the run) — "
                               + "the ledgers are balanced only at the end of the run, so no earlier entry can be named\n"))
        #expect(text.split(separator: "\n").count > log.count)
    }

    @Test("streams_intact: a failover before the divergent response is checkpointed stops at the client's first wrong byte")
    func streamsIntactStopsAtTheWrongByte() throws {
        var target = try Self.target("divergent-response")
        target.scenario.configuration.timeline.append(TimelineEvent(at: .milliseconds(150), .losePrimary))
        let report = try Self.replay(target, seed: 1)
        let verdict = try #require(report.invariant("streams_intact"))
        #expect(verdict.status == .violated, "\(verdict.detail)")
        let checks = target.failingChecks(of: report)
        let streams = try #require(checks.first { if case .invariant(let v) = $0 { v.name == "streams_intact" } else { false } })
        let point = ViolationPoint.locate(streams, in: report)
        let count = try #require(point.entryCount)
        let log = try #require(report.fullLog)
        // The client reads the wrong bytes as a frame reaches it.
        guard case .lan(.arrivedAtClient) = log[count - 1].event else {
            Issue.record("stops at \(log[count - 1].event)")
            return
        }
        #expect(log[count - 1].time > .milliseconds(200))
    }

    @Test("K-10: no_failover fails at the failover entry; a watchdog's stop at the watchdog entry")
    func failoverAndWatchdog() throws {
        var target = try Self.target("divergent-response")
        target.scenario.configuration.timeline.append(TimelineEvent(at: .milliseconds(150), .losePrimary))
        target.scenario.expectations = [Expectation(.noFailover, isAlwaysTrue: true)]
        let report = try Self.replay(target, seed: 1)
        let log = try #require(report.fullLog)
        let failover = try #require(target.failingChecks(of: report).last)
        let count = try #require(ViolationPoint.locate(failover, in: report).entryCount)
        guard case .controller(.failover(.secondary, _)) = log[count - 1].event else {
            Issue.record("stops at \(log[count - 1].event)")
            return
        }

        var stopped = try Self.target("clean-run")
        stopped.scenario.configuration.watchdog.maxEvents = 40
        stopped.scenario.expectations = []
        let stoppedReport = try Self.replay(stopped, seed: 1)
        let checks = stopped.failingChecks(of: stoppedReport)
        #expect(checks == [.stopReason(stoppedReport.stopReason)])
        let point = ViolationPoint.locate(try #require(checks.first), in: stoppedReport)
        let watchdog = try #require(point.entryCount)
        let stoppedLog = try #require(stoppedReport.fullLog)
        guard case .controller(.watchdog) = stoppedLog[watchdog - 1].event else {
            Issue.record("stops at \(stoppedLog[watchdog - 1].event)")
            return
        }
    }

    @Test("output commit: the monitor remembers how many log entries preceded a frame no compare released")
    func outputCommitPosition() throws {
        let monitor = OutputCommitMonitor()
        let compare = monitor.addCompare()
        let released = Frame([1, 2, 3])
        monitor.released(released, by: compare)
        monitor.primaryTapSent(released, at: .milliseconds(1), logPosition: 10)
        #expect(monitor.firstViolationLogPosition == nil)
        monitor.primaryTapSent(Frame([4, 5, 6]), at: .milliseconds(2), logPosition: 17)
        monitor.primaryTapSent(Frame([7]), at: .milliseconds(3), logPosition: 30)
        #expect(monitor.firstViolationLogPosition == 17)
        #expect(monitor.violations == 2)
    }

    @Test("a long trace keeps the last --max-lines lines before the violation and says how many entries it skipped")
    func maxLines() throws {
        let (target, report) = try Self.shrunkMutantRun()
        let log = try #require(report.fullLog)
        let points = ViolationPoint.locate(report, target: target)
        let stop = try #require(points.first?.entryCount)
        let lines = ExplainedTrace.render(log, violations: points, options: ExplainedTrace.Options(maxLines: 10))
            .split(separator: "\n").map(String.init)
        // The last entry (the request) takes three lines; seven one-line entries come before it.
        #expect(lines[1] == "... \(stop - 8) earlier entries skipped (--max-lines 10; --full shows every entry)")
        #expect(lines.count == 2 + 10 + 2)
    }

    @Test("every kind of entry reads as a sentence, never as Swift's default description")
    func sentencesAreReadable() throws {
        let (_, report) = try Self.shrunkMutantRun()
        let text = try #require(report.fullLog).flatMap(ExplainedTrace.lines).joined(separator: "\n")
        for swiftName in ["Scenarios.", "Primary.", "Secondary.", "Fabric.", "Optional("] {
            #expect(!text.contains(swiftName), "\(swiftName)")
        }
    }
}
