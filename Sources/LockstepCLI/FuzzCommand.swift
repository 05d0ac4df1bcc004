import ArgumentParser
import Fabric
import Foundation
import Scenarios

/// `lockstep fuzz SCENARIO`: runs the scenario under many seeded orderings, checks invariants
/// (and, with `--expectations`, the scenario's expectations) on each, shrinks the first failure
/// and writes it as a replay file.
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Explore a scenario's choice points under many seeds; shrink and save the first failure.",
        discussion: """
            Every decision of a run (simultaneous-event order, chunk splits, latency, jitter, ISN \
            and IP-ID draws) comes from the run's seed. A run fails when an invariant is violated, \
            a watchdog ends it, or (--expectations) an expectation of the scenario does not hold. \
            Exit status 1 when a run failed.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Argument(help: "A scenario file (YAML).") var scenario: String
    @Option(help: "Size of the seed space: run indices 0..<N.") var runs: Int = 1000
    @Option(help: "Base seed of the seed space.") var seed: UInt64 = 1
    @Option(help: "Exploration strategy: random.") var strategy: String = "random"
    @Option(help: "Worker threads; the result does not depend on it.") var jobs: Int = 1
    @Option(help: "K/N: run only the indices i with i % N == K-1.") var shard: String = "1/1"
    @Flag(help: "Treat every expectation of the scenario as always-true.") var expectations = false
    @Option(help: "Candidate runs the shrinker may spend.") var shrinkBudget: Int = 400
    @Option(help: "Write the shrunk failure as a replay file here.") var replayOut: String = "fuzz-failure.replay.json"
    @Option(help: "Output format: text or json.") var format: Format = .text
    @Option(help: "Write pcaps of the shrunk failing run into this directory.") var pcapDir: String?
    @Option(help: "Switch on a deliberate engine bug, to see the fuzzer find it (with --expectations, on the library scenario in parentheses): \(EngineMutant.allCases.map { "\($0.rawValue) (\($0.libraryScenario))" }.joined(separator: ", ")).") var mutant: String?

    func run() throws {
        let text: String
        let parsed: Scenario
        do {
            text = try String(contentsOfFile: scenario, encoding: .utf8)
            parsed = try ScenarioParser.parse(text, file: scenario)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
        guard let chosen = FuzzStrategy(rawValue: strategy) else {
            throw ValidationError("unsupported --strategy '\(strategy)'; implemented: random, exhaustive")
        }
        if chosen == .exhaustive {
            return try runExhaustive(FuzzTarget(scenario: parsed, checksExpectations: expectations, mutant: try engineMutant()))
        }
        let engineMutant = try engineMutant()
        var options = FuzzOptions()
        options.runs = runs
        options.jobs = jobs
        options.strategy = chosen
        options.shrinkBudget = shrinkBudget
        options.seeds = try Self.seedSpace(seed: seed, shard: shard)
        let hash = ReplayFile.hash(of: text)
        let campaign = FuzzCampaign(
            target: FuzzTarget(scenario: parsed, checksExpectations: expectations, mutant: engineMutant), options: options, scenarioHash: hash)
        let progress = FuzzProgress(total: options.seeds.indices(runs: runs).count, enabled: format == .text && isatty(2) != 0)
        let result = campaign.run(progress: progress.update)
        progress.finish()
        if let shrunk = result.shrunk {
            let file = ReplayFile(
                tool: "lockstep fuzz", scenario: scenario, scenarioHash: hash, trial: shrunk, mutant: engineMutant,
                checksExpectations: expectations)
            try file.encoded().write(to: URL(fileURLWithPath: replayOut))
            if let pcapDir {
                _ = campaign.target.replay(seed: shrunk.seed, decisions: shrunk.decisions, outputs: RunOutputs(pcapDirectory: pcapDir))
            }
        }
        if format == .json {
            print(String(decoding: try result.encoded(), as: UTF8.self))
        } else {
            print(Self.text(result, replayOut: replayOut, elapsed: progress.elapsed))
        }
        if result.failed { throw ExitCode(1) }
    }

    func engineMutant() throws -> EngineMutant? {
        guard let mutant else { return nil }
        guard let named = EngineMutant(rawValue: mutant) else { throw ValidationError("unknown --mutant '\(mutant)'") }
        return named
    }

    /// `--strategy exhaustive`: every schedule of the scenario with seed `--seed`, up to `--runs`.
    private func runExhaustive(_ target: FuzzTarget) throws {
        let (outcome, failures) = target.exhaustive(seed: seed, bound: runs)
        print("lockstep fuzz \(target.scenario.name): exhaustive, \(outcome.schedules) schedule(s) run, "
            + (outcome.covered ? "all schedules covered" : "bound reached, not all schedules covered"))
        print("  failures: \(failures.count)")
        for failure in failures.prefix(10) {
            print("    schedule \(failure.index): \(failure.violations.first ?? "")")
        }
        if !failures.isEmpty { throw ExitCode(1) }
    }

    static func seedSpace(seed: UInt64, shard: String) throws -> FuzzSeedSpace {
        let parts = shard.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else {
            throw ValidationError("--shard must be K/N with 1 <= K <= N, e.g. 2/4")
        }
        return FuzzSeedSpace(baseSeed: seed, shard: parts[0], shardCount: parts[1])
    }

    static func text(_ result: FuzzResult, replayOut: String, elapsed: Double) -> String {
        var lines = ["lockstep fuzz \(result.scenario): \(result.indicesRun) run(s), strategy \(result.strategy.rawValue), base seed \(result.baseSeed), shard \(result.shards.joined(separator: ","))"]
        if elapsed > 0 {
            lines.append(String(format: "  %.1f s, %.0f runs/s", elapsed, Double(result.indicesRun) / elapsed))
        }
        lines.append("  failures: \(result.failures.count)")
        for failure in result.failures.prefix(10) {
            lines.append("    run \(failure.index) seed \(failure.seed): \(failure.violations.first ?? "")")
        }
        if let shrunk = result.shrunk {
            let original = result.failures.first?.decisions.count ?? 0
            lines.append("  shrunk run \(shrunk.index): \(original) -> \(shrunk.decisions.count) decision(s), trace \(ReplayFile.hex(shrunk.traceHash))")
            lines.append("  replay: lockstep replay \(replayOut)")
        }
        return lines.joined(separator: "\n")
    }
}

/// The progress line on a terminal (stderr): runs, runs/s, failures, elapsed, ETA.
final class FuzzProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let enabled: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    var elapsed: Double { Date().timeIntervalSince(start) }

    var update: @Sendable (Int, Int) -> Void {
        { [self] done, failures in draw(done: done, failures: failures) }
    }

    private func draw(done: Int, failures: Int) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.2 || done == total else { return }
        lastDraw = now
        let seconds = now.timeIntervalSince(start)
        let rate = seconds > 0 ? Double(done) / seconds : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let line = String(format: "\r%d/%d runs, %.0f runs/s, %d failure(s), %.1fs elapsed, ETA %.1fs ", done, total, rate, failures, seconds, eta)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
