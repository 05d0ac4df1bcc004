import ArgumentParser
import Foundation
import Fabric
import COLORuntime
import Scenarios
import Fuzzing

/// `lockstep fuzz [SCENARIO]`: runs the scenario under many seeded orderings, checks invariants
/// and the scenario's always-true expectations (with `--expectations`, all of them) on each,
/// shrinks the first failure and writes it as a replay file.
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Explore a scenario's choice points under many seeds; shrink and save the first failure.",
        discussion: """
            Every decision of a run (simultaneous-event order, chunk splits, latency, jitter, ISN \
            and IP-ID draws) comes from the run's seed. A run fails when an invariant is violated, \
            a watchdog ends it, an expectation listed under always: does not hold, or \
            (--expectations) any expectation of the scenario does not hold. Without SCENARIO (or \
            with 'default') the built-in copy of \(DefaultFuzzScenario.libraryFile) is fuzzed. \
            Strategies: random (every decision uniform), pct (simultaneous events ordered by \
            random source priorities with --depth - 1 priority changes, the rest uniform), \
            exhaustive (every schedule up to --runs). --time S runs until S seconds of wall time \
            have passed; the indices run are a prefix, so --runs N with the N printed reproduces \
            the result. Exit status 1 when a run failed.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Argument(help: "A scenario file (YAML), or 'default' (\(DefaultFuzzScenario.libraryFile), built in).") var scenario: String = DefaultFuzzScenario.name
    @Option(help: "Size of the seed space: run indices 0..<N (default 1000).") var runs: Int?
    @Option(help: "Run until S seconds of wall time have passed instead of --runs.") var time: Double?
    @Option(help: "Base seed of the seed space.") var seed: UInt64 = 1
    @Option(help: "Exploration strategy: random, pct or exhaustive.") var strategy: String = "random"
    @Option(help: "PCT bug depth: depth - 1 priority changes per run (strategy pct; default 3).") var depth: Int?
    @Option(help: "Worker threads; the result does not depend on it.") var jobs: Int = 1
    @Option(help: "K/N: run only the indices i with i % N == K-1.") var shard: String = "1/1"
    @Flag(help: "Treat every expectation of the scenario as always-true (default: only those under always:).") var expectations = false
    @Option(help: "Candidate runs the shrinker may spend (per stage).") var shrinkBudget: Int = 400
    @Flag(inversion: .prefixedNo, help: "After the decisions, shrink the workload too (fewer connections, exchanges, bytes, timeline events).") var shrinkWorkload = true
    @Option(help: "Write the shrunk failure as a replay file here.") var replayOut: String = "fuzz-failure.replay.json"
    @Option(help: "Output format: text or json.") var format: Format = .text
    @Option(help: "Write pcaps of the shrunk failing run into this directory (default: the replay file's name without .json, plus .pcap).") var pcapDir: String?
    @Flag(help: "Write no pcaps of the shrunk failing run.") var noPcap = false
    @Option(help: "Switch on a deliberate engine bug, to see the fuzzer find it (with --expectations, on the library scenario in parentheses): \(EngineMutant.allCases.map { "\($0.rawValue) (\($0.libraryScenario))" }.joined(separator: ", ")).") var mutant: String?

    func validate() throws {
        if runs != nil && time != nil { throw ValidationError("--runs and --time are exclusive: give one") }
        if let runs, runs < 1 { throw ValidationError("--runs must be at least 1") }
        if let time, !(time > 0) { throw ValidationError("--time must be a positive number of seconds") }
        if let depth, depth < 1 { throw ValidationError("--depth must be at least 1") }
        if depth != nil && strategy != FuzzStrategy.pct.rawValue { throw ValidationError("--depth applies to --strategy pct only") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let (text, parsed) = try Self.loadScenario(scenario)
        guard let chosen = FuzzStrategy(rawValue: strategy) else {
            throw ValidationError("unsupported --strategy '\(strategy)'; choose random, pct or exhaustive")
        }
        if chosen == .exhaustive {
            guard time == nil else { throw ValidationError("--time does not apply to --strategy exhaustive; bound it with --runs") }
            return try runExhaustive(FuzzTarget(scenario: parsed, checksExpectations: expectations, mutant: try engineMutant()))
        }
        let engineMutant = try engineMutant()
        var options = FuzzOptions()
        options.runs = time == nil ? (runs ?? 1000) : Int.max
        options.timeLimit = time
        options.jobs = jobs
        options.strategy = chosen
        options.pctDepth = depth ?? 3
        options.shrinkBudget = shrinkBudget
        options.shrinksWorkload = shrinkWorkload
        options.seeds = try Self.seedSpace(seed: seed, shard: shard)
        let hash = ReplayFile.hash(of: text)
        let campaign = FuzzCampaign(
            target: FuzzTarget(scenario: parsed, checksExpectations: expectations, mutant: engineMutant), options: options, scenarioHash: hash)
        let total = time == nil ? options.seeds.slotCount(runs: options.runs) : nil
        let progress = FuzzProgress(total: total, timeLimit: time, draw: format == .text && isatty(2) != 0 ? Self.writeToStandardError : nil)
        let result = campaign.run(progress: progress.update)
        progress.finish()
        if let shrunk = result.shrunk {
            let file = ReplayFile(
                tool: "lockstep fuzz", scenario: scenario, scenarioHash: hash, trial: shrunk, mutant: engineMutant,
                checksExpectations: expectations)
            try file.encoded().write(to: URL(fileURLWithPath: replayOut))
            if let directory = failurePcapDirectory {
                _ = campaign.target.reduced(by: shrunk.reduction)
                    .replay(seed: shrunk.seed, decisions: shrunk.decisions, outputs: RunOutputs(pcapDirectory: directory))
            }
        }
        if format == .json {
            print(String(decoding: try result.encoded(), as: UTF8.self))
        } else {
            print(result.text(replayOut: replayOut, pcapDirectory: failurePcapDirectory, elapsed: progress.elapsed))
        }
        if result.failed { throw ExitCode(1) }
    }

    /// Where the shrunk failure's captures go: next to its replay file unless told otherwise.
    var failurePcapDirectory: String? {
        if noPcap { return nil }
        if let pcapDir { return pcapDir }
        return (replayOut.hasSuffix(".json") ? String(replayOut.dropLast(5)) : replayOut) + ".pcap"
    }

    /// The scenario's text and parse: a file, or the built-in default.
    static func loadScenario(_ path: String) throws -> (String, Scenario) {
        do {
            let text = try DefaultFuzzScenario.text(of: path)
            return (text, try DefaultFuzzScenario.parse(text, of: path))
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    func engineMutant() throws -> EngineMutant? {
        guard let mutant else { return nil }
        guard let named = EngineMutant(rawValue: mutant) else { throw ValidationError("unknown --mutant '\(mutant)'") }
        return named
    }

    /// `--strategy exhaustive`: every schedule of the scenario with seed `--seed`, up to `--runs`.
    private func runExhaustive(_ target: FuzzTarget) throws {
        let (outcome, failures) = target.exhaustive(seed: seed, bound: runs ?? 1000)
        print(outcome.text(scenario: target.scenario.name, failures: failures))
        if !failures.isEmpty { throw ExitCode(1) }
    }

    static func seedSpace(seed: UInt64, shard: String) throws -> FuzzSeedSpace {
        let parts = shard.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else {
            throw ValidationError("--shard must be K/N with 1 <= K <= N, e.g. 2/4")
        }
        return FuzzSeedSpace(baseSeed: seed, shard: parts[0], shardCount: parts[1])
    }

    @Sendable static func writeToStandardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
