import Foundation
import Testing
import Fabric
import Deployment
import COLORuntime
import Scenarios
import Fuzzing

/// The fuzzer (issue 8): seeded campaigns, shrinking, replay, jobs and shards.
@Suite("Fuzz")
struct FuzzTests {
    static let library = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios").path

    static func target(_ name: String, mutant: EngineMutant? = nil) throws -> FuzzTarget {
        let scenario = try ScenarioParser.load(path: library + "/" + name + ".yaml")
        return FuzzTarget(scenario: scenario, checksExpectations: true, mutant: mutant)
    }

    static func campaign(_ name: String, mutant: EngineMutant? = nil, runs: Int, jobs: Int = 1,
                         shard: Int = 1, of shards: Int = 1, shrinkBudget: Int = 60) throws -> FuzzResult {
        var options = FuzzOptions()
        options.runs = runs
        options.jobs = jobs
        options.shrinkBudget = shrinkBudget
        options.seeds = FuzzSeedSpace(baseSeed: 7, shard: shard, shardCount: shards)
        return FuzzCampaign(target: try target(name, mutant: mutant), options: options, scenarioHash: "test").run()
    }

    /// The library scenario each mutant is hunted on; the scenario passes unmutated.
    static let hunts: [(EngineMutant, String)] = [
        (.payloadOffsetOffByOne, "clean-run"),
        (.rewriterOffsetSignFlipped, "clean-run"),
        (.flushDropsPrimary, "handshake-straddling-checkpoint"),
    ]

    @Test("unmutated library scenarios pass every explored ordering", arguments: ["clean-run", "handshake-straddling-checkpoint"])
    func unmutatedPasses(_ name: String) throws {
        let result = try Self.campaign(name, runs: 8, shrinkBudget: 0)
        #expect(result.indicesRun == 8)
        #expect(result.failures.isEmpty, "\(result.failures.first?.violations ?? [])")
    }

    @Test("each mutant is found within 8 runs and shrunk to a failing run with no more decisions",
          arguments: [0, 1, 2])
    func mutantFoundAndShrunk(_ hunt: Int) throws {
        let (mutant, name) = Self.hunts[hunt]
        let result = try Self.campaign(name, mutant: mutant, runs: 8)
        let first = try #require(result.failures.first, "\(mutant.rawValue) not found on \(name)")
        let shrunk = try #require(result.shrunk)
        #expect(shrunk.failed)
        #expect(shrunk.violationNames.first == first.violationNames.first)
        #expect(shrunk.decisions.count <= first.decisions.count)
        // The shrunk list replays to the same failure and the same trace.
        let (_, replayed) = try Self.target(name, mutant: mutant).replay(seed: shrunk.seed, decisions: shrunk.decisions)
        #expect(replayed.failed)
        #expect(replayed.traceHash == shrunk.traceHash)
    }

    @Test("replay of a recorded failing run reproduces its trace hash exactly")
    func replayReproducesTraceHash() throws {
        let target = try Self.target("clean-run", mutant: .rewriterOffsetSignFlipped)
        let trial = target.trial(index: 0, seed: 99)
        #expect(trial.failed)
        #expect(!trial.decisions.isEmpty)
        let file = ReplayFile(tool: "test", scenario: "clean-run", scenarioHash: "h", trial: trial)
        let decoded = try ReplayFile.decode(try file.encoded())
        let (_, replayed) = target.replay(seed: decoded.seed, decisions: decoded.decisions)
        #expect(ReplayFile.hex(replayed.traceHash) == decoded.traceHash)
        #expect(replayed.violations == trial.violations)
    }

    @Test("--jobs 2 and --jobs 1 report the same failures for the same seeds")
    func jobsDoNotChangeResults() throws {
        let serial = try Self.campaign("clean-run", mutant: .rewriterOffsetSignFlipped, runs: 6, jobs: 1, shrinkBudget: 0)
        let parallel = try Self.campaign("clean-run", mutant: .rewriterOffsetSignFlipped, runs: 6, jobs: 2, shrinkBudget: 0)
        #expect(serial.failures.count == 6)
        #expect(serial == parallel)
    }

    @Test("shards 1/2 and 2/2 merge into the single-machine result")
    func shardsMergeIntoOneResult() throws {
        let whole = try Self.campaign("handshake-straddling-checkpoint", mutant: .flushDropsPrimary, runs: 6, shrinkBudget: 20)
        let second = try Self.campaign("handshake-straddling-checkpoint", mutant: .flushDropsPrimary, runs: 6, shard: 2, of: 2, shrinkBudget: 20)
        let first = try Self.campaign("handshake-straddling-checkpoint", mutant: .flushDropsPrimary, runs: 6, shard: 1, of: 2, shrinkBudget: 20)
        var merged = try FuzzMerge.merge([
            FuzzResult.decode(try second.encoded()), FuzzResult.decode(try first.encoded()),
        ])
        merged.shards = whole.shards
        #expect(merged == whole)
    }

    @Test("the shrinker keeps a failing list failing and drops what the failure does not need")
    func shrinkerMinimises() {
        var shrinker = DecisionShrinker(budget: 500)
        // Fails when some decision is at least 5: the minimum is one decision of exactly 5.
        let minimal = shrinker.shrink([0, 3, 9, 1, 7, 2]) { $0.contains { $0 >= 5 } }
        #expect(minimal == [5])
    }
}

@Suite("Exhaustive enumeration")
struct ExhaustiveEnumerationTests {
    @Test("exhaustive count matches the hand count: 2 × 3 choices, then a third choice only after offset 1")
    func countMatchesHandCount() {
        // Program: a in 0...1, b in 0...2; when a == 1 a third decision c in 0...1.
        // Hand count: a = 0 gives 3 schedules, a = 1 gives 3 × 2 = 6; total 9.
        let outcome = ExhaustiveEnumerator(bound: 100).enumerate { prefix in
            let chooser = RecordingChooser(wrapping: ReplayingChooser(decisions: prefix), keepsLog: true)
            let a = chooser.chooseIndex(ChoicePoint(.other, "a"), count: 2)
            _ = chooser.chooseIndex(ChoicePoint(.other, "b"), count: 3)
            if a == 1 { _ = chooser.chooseIndex(ChoicePoint(.other, "c"), count: 2) }
            return chooser.log.map { ($0.maxOffset, $0.offset) }
        }
        #expect(outcome.schedules == 9)
        #expect(outcome.covered)
        #expect(ExhaustiveEnumerator(bound: 5).enumerate { _ in [(1, 0), (1, 0), (1, 0)] }.covered == false)
    }
}
