import Testing
@testable import Fabric
@testable import Deployment
@testable import COLORuntime
@testable import Scenarios
@testable import Fuzzing

/// Issue #8: timeline instants drawn from a window (`at: A..B`, e.g. the failover instant) and
/// the controller's `transfer_jitter` (each checkpoint's flush and load moved against the
/// records in flight, K-5/K-7) are choice points of the run's chooser.
@Suite("Timeline windows and transfer jitter")
struct TimelineWindowTests {
    private func errors(_ text: String) -> [String] {
        scenarioParseErrors(text).map(\.description)
    }

    private static let crashWindow = """
        duration: 2s
        expect: {checkpoints: {min: 0}}
        client:
          workload: {connections: 1, requests: 1, response_size: 200000}
        timeline:
          - {at: 20ms..80ms, crash: primary}
        """

    /// The instant the primary was lost in `report` (its timeline entry in the controller log).
    private static func crashInstant(_ report: RunReport) -> VirtualTime? {
        report.controllerEvents.first { if case .timeline(.losePrimary) = $0.event { true } else { false } }?.time
    }

    // MARK: Parsing

    @Test("a window 'at: A..B' parses to a windowed event; 'at: A' stays a fixed instant")
    func parsesWindow() throws {
        let scenario = try ScenarioParser.parse("""
            duration: 5s
            expect: {checkpoints: {min: 0}}
            timeline:
              - {at: 45ms..55ms, crash: primary}
              - {at: 1s .. 1500ms, set_checkpoint_delay: 2s}
              - {at: 3s, diverge_secondary: 1}
              - {at: 4s..4s, stall: {guest: secondary, for: 1ms}}
            """, file: "ok.yaml")
        #expect(scenario.configuration.timeline == [
            TimelineEvent(within: .milliseconds(45) ... .milliseconds(55), .losePrimary),
            TimelineEvent(within: .seconds(1) ... .milliseconds(1_500), .setCheckpointDelay(.seconds(2))),
            TimelineEvent(at: .seconds(3), .divergeSecondaryResponses(count: 1)),
            TimelineEvent(at: .seconds(4), .stallGuest(.secondary, duration: .milliseconds(1))),
        ])
        #expect(scenario.configuration.timeline.map(\.isWindow) == [true, true, false, false])
    }

    @Test("a malformed window is an error at file:line:column saying what is wrong", arguments: [
        ("60ms..10ms", "expected the event time 'at' as a window START..END with START ≤ END, got '60ms..10ms' (it ends before it starts)"),
        ("10..60ms", "its start '10' has no unit"),
        ("10ms..60", "its end '60' has no unit"),
        ("10ms..", "its end is missing"),
        ("10ms..soon", "its end 'soon' is not a duration"),
        ("10ms...60ms", "(a window has two dots)"),
        ("-10ms..60ms", "expected the event time 'at' to be zero or more"),
    ])
    func windowErrors(text: String, message: String) {
        let found = errors("duration: 5s\nexpect: {checkpoints: 0}\ntimeline:\n  - {at: \(text), crash: primary}\n")
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.hasPrefix("bad.yaml:4:10: ") == true, "\(found)")
        #expect(found.first?.contains(message) == true, "\(found)")
    }

    @Test("transfer_jitter parses as a duration; a bare number is refused")
    func parsesTransferJitter() throws {
        let scenario = try ScenarioParser.parse("duration: 1s\nexpect: {checkpoints: {min: 0}}\ncontroller: {transfer_jitter: 2ms}\n", file: "ok.yaml")
        #expect(scenario.configuration.controller.transferJitter == .milliseconds(2))
        let found = errors("duration: 1s\nexpect: {checkpoints: 0}\ncontroller: {transfer_jitter: 2}\n")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("bad.yaml:3:31: expected transfer_jitter as a duration") == true, "\(found)")
    }

    // MARK: Drawing the instant

    @Test("K-10 window: the failover instant lies in the window and differs across seeds")
    func instantInWindowAcrossSeeds() throws {
        let target = FuzzTarget(scenario: try ScenarioParser.parse(Self.crashWindow, file: "window.yaml"))
        var instants: [VirtualTime] = []
        for index in 0..<8 {
            let seed = FuzzSeedSpace(baseSeed: 7).seed(ofIndex: index)
            let (report, violations) = target.run(seed: seed, chooser: SeededChooser(seed: seed))
            let run = try #require(report, "\(violations)")
            let instant = try #require(Self.crashInstant(run))
            #expect(instant >= .milliseconds(20) && instant <= .milliseconds(80), "seed \(seed): \(instant)")
            instants.append(instant)
        }
        #expect(Set(instants).count == instants.count, "\(instants)")
    }

    @Test("the canonical chooser picks the window's start: same run as 'at: START'")
    func canonicalPicksStart() throws {
        let windowed = FuzzTarget(scenario: try ScenarioParser.parse(Self.crashWindow, file: "window.yaml"))
        let fixed = FuzzTarget(scenario: try ScenarioParser.parse(
            Self.crashWindow.replacingOccurrences(of: "20ms..80ms", with: "20ms"), file: "fixed.yaml"))
        let (windowReport, _) = windowed.run(seed: 1, chooser: CanonicalChooser())
        let (fixedReport, _) = fixed.run(seed: 1, chooser: CanonicalChooser())
        let run = try #require(windowReport)
        #expect(Self.crashInstant(run) == .milliseconds(20))
        #expect(run.traceHash == fixedReport?.traceHash)
    }

    @Test("the draw is one recorded decision at 'timeline 0 lose_primary at', nanosecond resolution")
    func drawIsRecorded() throws {
        let target = FuzzTarget(scenario: try ScenarioParser.parse(Self.crashWindow, file: "window.yaml"))
        let recorder = RecordingChooser(wrapping: SeededChooser(seed: 3), keepsLog: true)
        let (report, _) = target.run(seed: 3, chooser: recorder)
        let draws = recorder.log.filter { $0.point == ChoicePoint(.latency, "timeline 0 lose_primary at") }
        #expect(draws.count == 1)
        let draw = try #require(draws.first)
        #expect(draw.maxOffset == 60_000_000)
        let run = try #require(report)
        #expect(Self.crashInstant(run) == .milliseconds(20) + .nanoseconds(Int64(draw.offset)))
    }

    @Test("a fuzz failure that depends on the instant shrinks and replays to the same instant")
    func replayReproducesInstant() throws {
        // One periodic checkpoint at 100 ms: losing the primary after it completes breaks
        // `checkpoints: 0`, before it holds — the failure depends on the drawn instant alone.
        let scenario = try ScenarioParser.parse("""
            duration: 1s
            client:
              workload: {connections: 1, requests: 1, response_size: 20000}
            controller: {checkpoint_delay: 100ms}
            timeline:
              - {at: 0..300ms, crash: primary}
            always:
              checkpoints: 0
            """, file: "window.yaml")
        let target = FuzzTarget(scenario: scenario)
        var options = FuzzOptions()
        options.runs = 20
        let result = FuzzCampaign(target: target, options: options, scenarioHash: "test").run()
        let shrunk = try #require(result.shrunk, "no run crashed after the first checkpoint")
        let (report, replayed) = target.replay(seed: shrunk.seed, decisions: shrunk.decisions)
        #expect(replayed.traceHash == shrunk.traceHash)
        #expect(replayed.violations == shrunk.violations)
        let run = try #require(report)
        let instant = try #require(Self.crashInstant(run))
        let first = try #require(run.checkpoints.first)
        // Shrunk toward the earliest instant that still fails: after the first checkpoint began.
        #expect(instant > first.startedAt && instant <= .milliseconds(300), "crash at \(instant), checkpoint at \(first.startedAt)")
    }

    // MARK: transfer_jitter

    private static let periodic = """
        duration: 600ms
        expect: {checkpoints: {min: 0}}
        client:
          workload: {connections: 1, requests: 20, response_size: 4000, think_time: 20ms}
        controller: {checkpoint_delay: 100ms, transfer: 5ms, load: 1ms}
        """

    @Test("K-5/K-7: transfer_jitter moves each checkpoint's load within [0, J] after the transfer")
    func transferJitterMovesLoad() throws {
        let scenario = try ScenarioParser.parse(
            Self.periodic.replacingOccurrences(of: "load: 1ms}", with: "load: 1ms, transfer_jitter: 2ms}"), file: "j.yaml")
        let target = FuzzTarget(scenario: scenario)
        var extras: [Int64] = []
        for seed: UInt64 in 1...4 {
            let recorder = RecordingChooser(wrapping: SeededChooser(seed: seed), keepsLog: true)
            let (report, violations) = target.run(seed: seed, chooser: recorder)
            let run = try #require(report, "\(violations)")
            #expect(run.invariantsHold, "\(violations)")
            let draws = recorder.log.filter { $0.point == COLOController.transferJitterPoint }
            let loaded = run.checkpoints.filter { $0.secondaryLoadedAt != nil }
            #expect(loaded.count >= 3)
            #expect(draws.count == run.checkpoints.filter { $0.primaryStoppedAt != nil }.count)
            for (checkpoint, draw) in zip(loaded, draws) {
                let stopped = try #require(checkpoint.primaryStoppedAt)
                let loadedAt = try #require(checkpoint.secondaryLoadedAt)
                // transfer 5 ms + load 1 ms, plus the drawn extra.
                let extra = (loadedAt - stopped).nanoseconds - 6_000_000
                #expect(extra == Int64(draw.offset), "checkpoint \(checkpoint.number)")
                #expect((0...2_000_000).contains(extra))
                extras.append(extra)
            }
        }
        #expect(Set(extras).count > 1, "\(extras)")
    }

    @Test("transfer_jitter 0 draws nothing: same decisions and trace hash as without the key")
    func zeroJitterDrawsNothing() throws {
        let without = FuzzTarget(scenario: try ScenarioParser.parse(Self.periodic, file: "a.yaml"))
        let zero = FuzzTarget(scenario: try ScenarioParser.parse(
            Self.periodic.replacingOccurrences(of: "load: 1ms}", with: "load: 1ms, transfer_jitter: 0}"), file: "b.yaml"))
        let first = RecordingChooser(wrapping: SeededChooser(seed: 5), keepsLog: true)
        let second = RecordingChooser(wrapping: SeededChooser(seed: 5), keepsLog: true)
        let (a, _) = without.run(seed: 5, chooser: first)
        let (b, _) = zero.run(seed: 5, chooser: second)
        #expect(a?.traceHash == b?.traceHash)
        #expect(first.decisions == second.decisions)
        #expect(!first.log.contains { $0.point == COLOController.transferJitterPoint })
    }
}
