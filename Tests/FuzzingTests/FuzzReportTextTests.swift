import Testing
@testable import Fuzzing

/// What `lockstep fuzz` and `lockstep replay` print, rendered in the library.
@Suite("Fuzz report text")
struct FuzzReportTextTests {
    static let failure = FuzzTrial(
        index: 3, seed: 77, decisions: [1, 0, 2, 5], traceHash: 0xabc, violations: ["output_commit: a byte left early", "streams_intact: x"],
        clientFramesSent: 40)
    static var shrunk: FuzzTrial {
        var trial = failure
        trial.decisions = [1]
        trial.reduction = WorkloadReduction(connections: 1)
        trial.clientFramesSent = 12
        return trial
    }

    static func result(shrunk: FuzzTrial?, timeLimit: Double? = nil) -> FuzzResult {
        FuzzResult(
            scenario: "clean-run", scenarioHash: "h", strategy: .pct, baseSeed: 7, runs: 20, indicesRun: 20, shards: ["2/4"],
            pct: PCTParameters(depth: 3, steps: 90), timeLimit: timeLimit, failures: shrunk == nil ? [] : [failure], shrunk: shrunk)
    }

    @Test("a campaign with a shrunk failure: the runs, the failure, the shrunk decisions and workload, how to replay it")
    func campaignWithFailure() {
        let text = Self.result(shrunk: Self.shrunk).text(replayOut: "f.replay.json", pcapDirectory: "f.replay.pcap", elapsed: 0)
        #expect(text == """
            lockstep fuzz clean-run: 20 run(s), strategy pct (depth 3, 90 ordering steps per run), base seed 7, shard 2/4
              failures: 1
                run 3 seed 77: output_commit: a byte left early
              shrunk run 3: 4 -> 1 decision(s), trace 0000000000000abc
              shrunk workload: connections 1; client frames 40 -> 12
              replay: lockstep replay f.replay.json
              pcaps of the shrunk run: f.replay.pcap/
            """)
    }

    @Test("a time-limited campaign says which --runs reproduces it; the wall-clock rate only when time was measured")
    func timeLimited() {
        let text = Self.result(shrunk: nil, timeLimit: 2).text(replayOut: "r.json", elapsed: 4)
        #expect(text.split(separator: "\n").map(String.init) == [
            "lockstep fuzz clean-run: 20 run(s), strategy pct (depth 3, 90 ordering steps per run), base seed 7, shard 2/4",
            "  4.0 s, 5 runs/s",
            "  time limit 2 s reached after 20 run(s); --runs 20 (same seed and shard) reproduces this result",
            "  failures: 0",
        ])
    }

    @Test("the exhaustive strategy: how much of the schedule space ran and the failing schedules")
    func exhaustive() {
        let outcome = ExhaustiveEnumerator.Outcome(schedules: 5, covered: false)
        #expect(outcome.text(scenario: "clean-run", failures: [Self.failure]) == """
            lockstep fuzz clean-run: exhaustive, 5 schedule(s) run, bound reached, not all schedules covered
              failures: 1
                schedule 3: output_commit: a byte left early
            """)
    }

    @Test("a replay is reproduced when it fails along the recorded trace, and not when the hash or the failure differs")
    func replayVerdict() {
        let file = ReplayFile(tool: "lockstep fuzz", scenario: "s.yaml", scenarioHash: "h", trial: Self.shrunk)
        #expect(file.isReproduced(by: Self.shrunk))
        #expect(file.verdictText(Self.shrunk) == """
            reduced workload: connections 1
            replay: seed 77, 1 decision(s), trace hash 0000000000000abc (recorded 0000000000000abc)
            VIOLATION output_commit: a byte left early
            VIOLATION streams_intact: x
            REPRODUCED
            """)
        var otherTrace = Self.shrunk
        otherTrace.traceHash = 0xabd
        var passing = Self.shrunk
        passing.violations = []
        for trial in [otherTrace, passing] {
            #expect(!file.isReproduced(by: trial))
            #expect(file.verdictText(trial).hasSuffix("\nNOT REPRODUCED"))
        }
    }

    @Test("the progress line: drawn for every finished campaign, ended by a newline; nothing without a drawer")
    func progress() {
        let lines = DrawnLines()
        let progress = FuzzProgress(total: 2, timeLimit: nil, draw: lines.append)
        progress.update(2, 1)
        progress.finish()
        #expect(lines.all.count == 2)
        #expect(lines.all.first?.hasPrefix("\r2/2 runs, ") == true)
        #expect(lines.all.first?.contains(", 1 failure(s), ") == true)
        #expect(lines.all.last == "\n")
        let silent = FuzzProgress(total: 2, timeLimit: nil, draw: nil)
        silent.update(2, 0)
        silent.finish()
        #expect(silent.elapsed >= 0)
    }
}

/// Collects what a progress line draws.
private final class DrawnLines: @unchecked Sendable {
    private(set) var all: [String] = []
    var append: @Sendable (String) -> Void { { [self] in all.append($0) } }
}
