import Foundation
import Testing
import Fabric
import Deployment
import COLORuntime
import Scenarios
import Fuzzing

/// Issue 8's later fuzzer features: PCT, `--time`, always-true expectations, workload shrinking
/// and the default scenario.
@Suite("Fuzz strategies")
struct FuzzStrategyTests {
    static let library = FuzzTests.library

    static func options(runs: Int, jobs: Int = 1, strategy: FuzzStrategy = .random, shard: Int = 1, of shards: Int = 1,
                        shrinkBudget: Int = 0) -> FuzzOptions {
        var options = FuzzOptions()
        options.runs = runs
        options.jobs = jobs
        options.strategy = strategy
        options.shrinkBudget = shrinkBudget
        options.seeds = FuzzSeedSpace(baseSeed: 7, shard: shard, shardCount: shards)
        return options
    }

    // MARK: PCT

    /// Two sources, A and B, each with one event at every instant 0..<steps ns. The bug needs
    /// depth 2: A before B at every instant before `bugAt`, then B before A at `bugAt` (one
    /// ordering inversion after a long stretch of the other order).
    static func orderingBug(chooser: any Chooser, steps: Int = 20, bugAt: Int = 10) -> Bool {
        let scheduler = Scheduler(chooser: chooser, simultaneousOrder: .chosen)
        var firsts: [Character] = []
        var ranAt: [Int] = Array(repeating: 0, count: steps)
        for instant in 0..<steps {
            for name in ["A", "B"] {
                scheduler.schedule(at: VirtualTime(nanoseconds: Int64(instant)), EventLabel("\(name) step")) {
                    if ranAt[instant] == 0 { firsts.append(Character(name)) }
                    ranAt[instant] += 1
                }
            }
        }
        try? scheduler.runUntilIdle()
        guard firsts.count == steps else { return false }
        return firsts[..<bugAt].allSatisfy { $0 == "A" } && firsts[bugAt] == "B"
    }

    @Test("PCT finds a depth-2 ordering bug within its bound, far more often than uniform choices")
    func pctFindsDepthTwoBug() {
        let seeds = FuzzSeedSpace(baseSeed: 1)
        let parameters = PCTParameters(depth: 2, steps: 20)
        var pctHits = 0
        var randomHits = 0
        for index in 0..<400 {
            let seed = seeds.seed(ofIndex: index)
            if Self.orderingBug(chooser: PCTChooser(seed: seed, parameters: parameters)) { pctHits += 1 }
            if Self.orderingBug(chooser: SeededChooser(seed: seed)) { randomHits += 1 }
        }
        // PCT's bound for d = 2, n = 2 sources, k = 20 steps: 1 / (n k) = 1/40 per run (10 of 400
        // expected); uniform choices need 11 coin flips to fall right: 1/2048.
        #expect(pctHits >= 4, "PCT hit the bug in \(pctHits) of 400 runs")
        #expect(pctHits > randomHits * 4, "PCT \(pctHits), random \(randomHits)")
    }

    @Test("PCT is deterministic per seed, and its picks are recorded so a replay repeats them")
    func pctDeterministicAndReplayable() {
        let parameters = PCTParameters(depth: 3, steps: 20)
        let first = RecordingChooser(wrapping: PCTChooser(seed: 42, parameters: parameters))
        let second = RecordingChooser(wrapping: PCTChooser(seed: 42, parameters: parameters))
        let bug1 = Self.orderingBug(chooser: first)
        let bug2 = Self.orderingBug(chooser: second)
        #expect(bug1 == bug2)
        #expect(first.decisions == second.decisions)
        #expect(first.decisions.count == 20)
        let replayed = RecordingChooser(wrapping: ReplayingChooser(decisions: first.decisions))
        #expect(Self.orderingBug(chooser: replayed) == bug1)
        #expect(replayed.decisions == first.decisions)
        // Another seed gives other priorities somewhere among a few seeds.
        let others = (43...50).map { seed in
            let recorder = RecordingChooser(wrapping: PCTChooser(seed: UInt64(seed), parameters: parameters))
            _ = Self.orderingBug(chooser: recorder)
            return recorder.decisions
        }
        #expect(others.contains { $0 != first.decisions })
    }

    @Test("a source is the event label without its last word")
    func pctSources() {
        #expect(PCTChooser.sourceName("pipe mirror0->red0 arrive") == "pipe mirror0->red0")
        #expect(PCTChooser.sourceName("primary guest output") == "primary guest")
        #expect(PCTChooser.sourceName("single") == "single")
    }

    @Test("PCT campaigns: the same for any job count and shard split, and a failure replays to its trace")
    func pctCampaignDeterminism() throws {
        let scenario = try ScenarioParser.load(path: Self.library + "/clean-run.yaml")
        let target = FuzzTarget(scenario: scenario, checksExpectations: true, mutant: .rewriterOffsetSignFlipped)
        let serial = FuzzCampaign(target: target, options: Self.options(runs: 4, strategy: .pct), scenarioHash: "h").run()
        let parallel = FuzzCampaign(target: target, options: Self.options(runs: 4, jobs: 2, strategy: .pct), scenarioHash: "h").run()
        #expect(serial == parallel)
        #expect(serial.pct?.depth == 3)
        #expect((serial.pct?.steps ?? 0) > 0)
        let shards = (1...2).map { shard in
            FuzzCampaign(target: target, options: Self.options(runs: 4, strategy: .pct, shard: shard, of: 2), scenarioHash: "h").run()
        }
        let merged = try FuzzMerge.merge(shards)
        #expect(merged.failures == serial.failures)
        let failure = try #require(serial.failures.first)
        let (_, replayed) = target.replay(seed: failure.seed, decisions: failure.decisions)
        #expect(replayed.traceHash == failure.traceHash)
        #expect(replayed.violations == failure.violations)
    }

    @Test("unmutated clean-run passes under PCT")
    func pctUnmutatedPasses() throws {
        let scenario = try ScenarioParser.load(path: Self.library + "/clean-run.yaml")
        let result = FuzzCampaign(target: FuzzTarget(scenario: scenario), options: Self.options(runs: 6, strategy: .pct), scenarioHash: "h").run()
        #expect(result.failures.isEmpty, "\(result.failures.first?.violations ?? [])")
    }

    // MARK: --time

    @Test("the seed space's slots: shard K/N takes i % N == K-1, and --time's runs cover exactly the slots run")
    func slotArithmetic() {
        let space = FuzzSeedSpace(baseSeed: 1, shard: 2, shardCount: 3)
        #expect(space.slotCount(runs: 10) == space.indices(runs: 10).count)
        #expect(space.slotCount(runs: 1) == 0)
        #expect((0..<3).map(space.index(ofSlot:)) == [1, 4, 7])
        #expect(space.runsCovering(slots: 3) == 8)
        #expect(space.indices(runs: space.runsCovering(slots: 3)) == [1, 4, 7])
    }

    @Test("--time runs a prefix of the indices, equal to --runs of that count (two jobs)")
    func timeLimitIsAPrefix() throws {
        let scenario = try ScenarioParser.load(path: Self.library + "/handshake-straddling-checkpoint.yaml")
        let target = FuzzTarget(scenario: scenario, checksExpectations: true, mutant: .flushDropsPrimary)
        var timed = Self.options(runs: Int.max, jobs: 2)
        timed.timeLimit = 0.5
        let byTime = FuzzCampaign(target: target, options: timed, scenarioHash: "h").run()
        #expect(byTime.indicesRun > 0)
        #expect(byTime.runs == byTime.indicesRun)
        #expect(byTime.timeLimit == 0.5)
        #expect(throws: FuzzMerge.Failure.self) { try FuzzMerge.merge([byTime, byTime]) }
        let byCount = FuzzCampaign(target: target, options: Self.options(runs: byTime.indicesRun, jobs: 1), scenarioHash: "h").run()
        #expect(byCount.indicesRun == byTime.indicesRun)
        #expect(byCount.failures == byTime.failures)
        #expect(byTime.failures.allSatisfy { $0.index < byTime.indicesRun })
    }

    // MARK: Workload shrinking

    @Test("C-11: a shrunk failure also has a smaller workload: fewer client frames, and it replays from the replay file")
    func workloadShrinks() throws {
        let scenario = try ScenarioParser.load(path: Self.library + "/clean-run.yaml")
        let target = FuzzTarget(scenario: scenario, checksExpectations: true, mutant: .payloadOffsetOffByOne)
        var options = Self.options(runs: 2, shrinkBudget: 120)
        options.shrinksWorkload = true
        let result = FuzzCampaign(target: target, options: options, scenarioHash: "h").run()
        let first = try #require(result.failures.first)
        let shrunk = try #require(result.shrunk)
        let reduction = try #require(shrunk.reduction)
        #expect(shrunk.firstCheck == first.firstCheck)
        let before = try #require(first.clientFramesSent)
        let after = try #require(shrunk.clientFramesSent)
        #expect(after < before, "client frames \(before) -> \(after), \(reduction.summary)")
        let file = try ReplayFile.decode(try ReplayFile(tool: "test", scenario: "clean-run", scenarioHash: "h", trial: shrunk).encoded())
        #expect(file.reduction == reduction)
        let (_, replayed) = target.reduced(by: file.reduction).replay(seed: file.seed, decisions: file.decisions)
        #expect(ReplayFile.hex(replayed.traceHash) == file.traceHash)
        #expect(replayed.violations == shrunk.violations)
    }

    @Test("a reduction drops the named timeline events and sets the workload fields")
    func reductionApplies() throws {
        let scenario = try ScenarioParser.load(path: Self.library + "/divergent-response.yaml")
        let reduction = WorkloadReduction(connections: 1, requestsPerConnection: 2, responseSize: 10, droppedTimelineEvents: [0])
        let configuration = reduction.applied(to: scenario.configuration)
        #expect(configuration.timeline.isEmpty)
        #expect(configuration.workload.requestsPerConnection == 2)
        #expect(configuration.workload.responseSize == 10)
        #expect(WorkloadReduction().isEmpty)
    }

    // MARK: Findings

    @Test("clean-run run 683 of base seed 1 (data segments reordered before their header at the client) completes its workload")
    func reorderedSegmentsComplete() throws {
        let scenario = try ScenarioParser.load(path: Self.library + "/clean-run.yaml")
        let target = FuzzTarget(scenario: scenario, checksExpectations: true)
        let trial = target.trial(index: 683, seed: FuzzSeedSpace(baseSeed: 1).seed(ofIndex: 683))
        #expect(!trial.failed, "\(trial.violations)")
    }

    @Test("C-6: --expectations checks releases (full log kept) and leaves determinism to replay",
          arguments: ["queue-overflow", "arp-ipv6-uncompared"])
    func expectationsNeedingMoreThanOneRun(_ name: String) throws {
        let scenario = try ScenarioParser.load(path: Self.library + "/\(name).yaml")
        let trial = FuzzTarget(scenario: scenario, checksExpectations: true).trial(index: 0, seed: scenario.configuration.seed)
        #expect(!trial.failed, "\(trial.violations)")
    }

    // MARK: Default scenario

    @Test("the built-in default fuzz scenario is the library's divergent-response file, byte for byte")
    func defaultScenarioIsTheLibraryFile() throws {
        let text = try String(contentsOfFile: Self.library + "/divergent-response.yaml", encoding: .utf8)
        #expect(DefaultFuzzScenario.text == text)
        let scenario = try ScenarioParser.parse(DefaultFuzzScenario.text, file: DefaultFuzzScenario.libraryFile)
        #expect(scenario.name == "divergent-response")
    }
}
