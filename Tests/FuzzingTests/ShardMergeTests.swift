import Foundation
import Testing
import Fabric
import Scenarios
import Fuzzing

/// `--shard K/N` and the merges, the path a Kubernetes Indexed Job takes: every shard once
/// merges into the one-machine result, and a missing or repeated shard is refused.
@Suite("Shards and merges")
struct ShardMergeTests {
    @Test("K/N parses for 1 <= K <= N and slices positions p % N == K-1; anything else is refused")
    func shardSlices() throws {
        let shard = try ShardSlice(parsing: "2/3")
        #expect(shard.positions(among: 8) == [1, 4, 7])
        #expect(shard.description == "2/3")
        #expect(ShardSlice.whole.positions(among: 3) == [0, 1, 2])
        for bad in ["0/3", "4/3", "1/0", "1", "a/b", "1/2/3", "/2", "-1/2"] {
            #expect(throws: ShardSlice.ParseError.self, "\(bad)") { try ShardSlice(parsing: bad) }
        }
        let shards = try ["1/3", "3/3", "2/3"].map { try ShardSlice(parsing: $0) }
        #expect(ShardSlice.completeness(of: shards) == nil)
        #expect(ShardSlice.completeness(of: Array(shards.prefix(2))) == "shard(s) 2/3 missing")
        #expect(ShardSlice.completeness(of: shards + [shards[0]]) == "shard 1/3 is given twice")
    }

    static func campaign(shard: Int, of count: Int) throws -> FuzzResult {
        let scenario = try ScenarioParser.load(path: FuzzTests.library + "/clean-run.yaml")
        var options = FuzzOptions()
        options.runs = 5
        options.shrinkBudget = 10
        options.seeds = FuzzSeedSpace(baseSeed: 7, shard: shard, shardCount: count)
        let target = FuzzTarget(scenario: scenario, checksExpectations: true, mutant: .rewriterOffsetSignFlipped)
        return FuzzCampaign(target: target, options: options, scenarioHash: "h").run()
    }

    @Test("fuzz-merge of every shard equals the one-machine result exactly; a missing or repeated shard is refused")
    func fuzzMergeNeedsEveryShard() throws {
        let whole = try Self.campaign(shard: 1, of: 1)
        let shards = try (1...3).map { try Self.campaign(shard: $0, of: 3) }
        #expect(try FuzzMerge.merge(shards.reversed()) == whole)
        #expect(throws: FuzzMerge.Failure.self) { try FuzzMerge.merge(Array(shards.prefix(2))) }
        #expect(throws: FuzzMerge.Failure.self) { try FuzzMerge.merge(shards + [shards[1]]) }
        #expect(throws: FuzzMerge.Failure.self) { try FuzzMerge.merge([shards[0]]) }
    }

    static func sweep(_ shard: ShardSlice) throws -> FailoverSweepReport {
        let scenario = try ScenarioParser.load(path: FuzzTests.library + "/divergent-response.yaml")
        return try FailoverSweep(scenario: scenario, maxPoints: 7, lost: .primary, shard: shard).run()
    }

    @Test("sweep-failover shards split the selected points, and sweep-merge of every shard equals the whole sweep")
    func sweepMergeEqualsWhole() throws {
        let whole = try Self.sweep(.whole)
        let shards = try (1...3).map { try Self.sweep(ShardSlice(index: $0, count: 3)) }
        #expect(shards.map(\.points.count) == [3, 2, 2])
        #expect(shards.allSatisfy { $0.selectedPoints == 7 })
        let merged = try FailoverSweepMerge.merge(shards.reversed())
        #expect(merged == whole)
        #expect(try merged.encoded() == whole.encoded())
        #expect(throws: FailoverSweepMerge.Failure.self) { try FailoverSweepMerge.merge(Array(shards.dropLast())) }
        #expect(throws: FailoverSweepMerge.Failure.self) { try FailoverSweepMerge.merge([shards[0], shards[0], shards[1], shards[2]]) }
        #expect(throws: FailoverSweepMerge.Failure.self) { try FailoverSweepMerge.merge([whole, shards[0]]) }
        let decoded = try JSONDecoder().decode(FailoverSweepReport.self, from: try shards[1].encoded())
        #expect(decoded == shards[1])
    }
}
