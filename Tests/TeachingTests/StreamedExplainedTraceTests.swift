import Testing
@testable import Fabric
@testable import COLORuntime
@testable import Scenarios
@testable import Fuzzing
@testable import Teaching

/// Issue 18: `lockstep replay` explains a failure from what it streams out of the run's log (a
/// violation index and the last `--max-lines` entries), never from the whole log; the points and
/// the text must be exactly those of the whole log.
@Suite("Explained trace from a streamed log")
struct StreamedExplainedTraceTests {
    /// The replay's entries, streamed into an index and a tail of `capacity` entries ending at `end`.
    static func streamed(_ target: FuzzTarget, seed: UInt64, capacity: Int, end: Int? = nil)
        -> (RunReport, ViolationLogIndex, RunLogTail) {
        final class Watch {
            var index = ViolationLogIndex()
            var tail: RunLogTail
            init(_ tail: RunLogTail) { self.tail = tail }
        }
        let watch = Watch(RunLogTail(capacity: capacity, end: end))
        var outputs = RunOutputs()
        outputs.entrySink = { entry in
            watch.index.add(entry)
            watch.tail.add(entry)
        }
        let (report, _) = target.replay(seed: seed, decisions: [], outputs: outputs)
        return (report!, watch.index, watch.tail)
    }

    /// Every way `lockstep replay` can render `target`'s run, streamed and from the whole log.
    static func expectSameExplanation(_ target: FuzzTarget, seed: UInt64) throws {
        let whole = try ExplainedTraceTests.replay(target, seed: seed)
        let log = try #require(whole.fullLog)
        let points = ViolationPoint.locate(whole, target: target)
        #expect(!points.isEmpty)
        for options in [ExplainedTrace.Options(), ExplainedTrace.Options(maxLines: 10), ExplainedTrace.Options(maxLines: 1)] {
            let (report, index, tail) = streamed(target, seed: seed, capacity: options.maxLines)
            #expect(report.fullLog == nil)
            #expect(report.traceHash == whole.traceHash)
            #expect(index.entryCount == log.count)
            let streamedPoints = ViolationPoint.locate(report, target: target, log: index)
            #expect(streamedPoints == points)
            let stop = ExplainedTrace.stopPosition(streamedPoints, total: index.entryCount, options: options)
            // A trace that stops before the end needs a second run that keeps the entries before the stop.
            let kept = stop < index.entryCount ? streamed(target, seed: seed, capacity: options.maxLines, end: stop).2 : tail
            #expect(kept.entries.count <= options.maxLines)
            let text = ExplainedTrace.render(kept: kept.entries, from: kept.firstPosition, total: index.entryCount,
                                             violations: streamedPoints, options: options)
            #expect(text == ExplainedTrace.render(log, violations: points, options: options), "max-lines \(options.maxLines)")
        }
        var stream = ExplainedTrace.Stream(violations: points, total: log.count)
        let lines = stream.header + log.flatMap { stream.lines(after: $0) }
        #expect(lines.joined(separator: "\n") + "\n" == ExplainedTrace.render(log, violations: points, options: ExplainedTrace.Options(full: true)))
    }

    @Test("C-11/C-18: the shrunk mutant failure (stops at the compare's request) explains itself the same streamed")
    func stopsBeforeTheEnd() throws {
        let target = try ExplainedTraceTests.target("clean-run", mutant: .payloadOffsetOffByOne,
                                                    reduction: ExplainedTraceTests.shrunkReduction)
        try Self.expectSameExplanation(target, seed: ExplainedTraceTests.shrunkSeed)
    }

    @Test("K-2/K-10: checkpoint reasons, timing and failover are located the same from the index")
    func checkpointsAndFailover() throws {
        var target = try ExplainedTraceTests.target("divergent-response")
        target.scenario.configuration.timeline.append(TimelineEvent(at: .milliseconds(150), .losePrimary))
        target.scenario.expectations = [
            Expectation(.noFailover, isAlwaysTrue: true),
            Expectation(.checkpointReasons(["timeout"]), isAlwaysTrue: true),
            Expectation(.noCheckpointBefore(.seconds(10)), isAlwaysTrue: true),
            Expectation(.checkpoints(CountRange(min: 0, max: 0)), isAlwaysTrue: true),
        ]
        try Self.expectSameExplanation(target, seed: 1)
    }

    @Test("a watchdog stop and an end-of-run check are located the same from the index")
    func watchdogAndEnd() throws {
        var stopped = try ExplainedTraceTests.target("clean-run")
        stopped.scenario.configuration.watchdog.maxEvents = 40
        stopped.scenario.expectations = [Expectation(.workloadComplete(true), isAlwaysTrue: true)]
        try Self.expectSameExplanation(stopped, seed: 1)
    }

    @Test("a tail keeps at most its capacity, ends at its end and counts every entry")
    func tailBounds() {
        var tail = RunLogTail(capacity: 3, end: 5)
        for number in 0..<9 {
            tail.add(RunLogEntry(time: .zero, host: nil, source: "colo", event: .controller(.secondaryStarted(number: number))))
        }
        #expect(tail.total == 9)
        #expect(tail.firstPosition == 2)
        #expect(tail.entries.map(\.event) == (2..<5).map { .controller(.secondaryStarted(number: $0)) })
    }
}
