import ArgumentParser
import Foundation
import Glibc
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
            have passed (exhaustive too); the indices run are a prefix, so --runs N with the N \
            printed reproduces the result. A campaign estimated to take more than a day is refused \
            with its estimate. Exit status 1 when a run failed.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Argument(help: "A scenario file (YAML), or 'default' (\(DefaultFuzzScenario.libraryFile), built in).") var scenario: String = DefaultFuzzScenario.name
    @Option(parsing: .unconditional, help: "Size of the seed space: run indices 0..<N (default 1000; 1 to 10^12, refused when the estimated wall time passes a day).") var runs: Int?
    @Option(parsing: .unconditional, help: "Run until S seconds of wall time have passed instead of --runs (more than 0, at most 604800).") var time: Double?
    @Option(parsing: .unconditional, help: "Base seed of the seed space.") var seed: UInt64 = 1
    @Option(help: "Exploration strategy: random, pct or exhaustive.") var strategy: String = "random"
    @Option(parsing: .unconditional, help: "PCT bug depth: depth - 1 priority changes per run (strategy pct; default 3; 1-1000).") var depth: Int?
    @Option(parsing: .unconditional, help: "Worker threads (1-1024); the result does not depend on it.") var jobs: Int = 1
    @Option(help: "K/N: run only the indices i with i % N == K-1 (N at most 1000000).") var shard: String = "1/1"
    @Flag(help: "Treat every expectation of the scenario as always-true (default: only those under always:).") var expectations = false
    @Option(parsing: .unconditional, help: "Candidate runs the shrinker may spend per stage (0-1000000; 0: save the first failure as found).") var shrinkBudget: Int = 400
    @Flag(inversion: .prefixedNo, help: "After the decisions, shrink the workload too (fewer connections, exchanges, bytes, timeline events).") var shrinkWorkload = true
    @Option(help: "Write the shrunk failure as a replay file here (when it cannot be written, it goes to the temporary folder and the output says where).") var replayOut: String = "fuzz-failure.replay.json"
    @Option(help: "Output format: text or json.") var format: Format = .text
    @Option(help: "Write pcaps of the shrunk failing run into this directory (default: the replay file's name without .json, plus .pcap).") var pcapDir: String?
    @Flag(help: "Write no pcaps of the shrunk failing run.") var noPcap = false
    @Option(help: "Switch on a deliberate engine bug, to see the fuzzer find it (with --expectations, on the library scenario in parentheses): \(EngineMutant.allCases.map { "\($0.rawValue) (\($0.libraryScenario))" }.joined(separator: ", ")).") var mutant: String?

    /// A campaign whose estimated wall time passes this is refused (`--time` bounds one instead).
    static let longestCampaignSeconds = 86_400.0

    func validate() throws {
        if runs != nil && time != nil { throw ValidationError("--runs and --time are exclusive: give one") }
        try OptionRange.check(runs, "--runs", 1...1_000_000_000_000)
        try OptionRange.check(time, "--time", 1e-3...604_800, unit: "seconds")
        try OptionRange.check(depth, "--depth", 1...1000)
        if depth != nil && strategy != FuzzStrategy.pct.rawValue { throw ValidationError("--depth applies to --strategy pct only") }
        try OptionRange.check(jobs, "--jobs", 1...1024)
        try OptionRange.check(shrinkBudget, "--shrink-budget", 0...1_000_000)
        if !noPcap { try PcapDirectoryOption.check(pcapDir) }
    }

    func run() throws {
        let (text, parsed) = try Self.loadScenario(scenario)
        guard let chosen = FuzzStrategy(rawValue: strategy) else {
            throw ValidationError("unsupported --strategy '\(strategy)'; choose random, pct or exhaustive")
        }
        if chosen == .exhaustive {
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
        let total = time == nil ? options.seeds.slotCount(runs: options.runs) : nil
        if let total { try Self.refuseAbsurd(runs: total, of: parsed, jobs: jobs, option: "--runs \(options.runs)") }
        let hash = ReplayFile.hash(of: text)
        let campaign = FuzzCampaign(
            target: FuzzTarget(scenario: parsed, checksExpectations: expectations, mutant: engineMutant), options: options, scenarioHash: hash)
        let progress = FuzzProgress(total: total, timeLimit: time, draw: format == .text && isatty(2) != 0 ? Self.writeToStandardError : nil)
        let result = campaign.run(progress: progress.update)
        progress.finish()
        var savedReplay = replayOut
        var pcaps = failurePcapDirectory
        if let shrunk = result.shrunk {
            let file = ReplayFile(
                tool: "lockstep fuzz", scenario: scenario, scenarioHash: hash, trial: shrunk, mutant: engineMutant,
                checksExpectations: expectations)
            savedReplay = try save(file)
            if pcapDir == nil && !noPcap { pcaps = Self.pcapDirectory(beside: savedReplay) }
            if let directory = pcaps {
                let (report, trial) = campaign.target.reduced(by: shrunk.reduction)
                    .replay(seed: shrunk.seed, decisions: shrunk.decisions, outputs: RunOutputs(pcapDirectory: directory))
                if report == nil, let problem = trial.violations.first(where: { $0.hasPrefix("run_error: cannot write") }) {
                    printError("warning: the pcaps of the shrunk run were not written: \(problem.dropFirst("run_error: ".count))")
                    pcaps = nil
                }
            }
        }
        if format == .json {
            print(String(decoding: try result.encoded(), as: UTF8.self))
        } else {
            print(result.text(replayOut: savedReplay, pcapDirectory: pcaps, elapsed: progress.elapsed))
        }
        if result.failed { throw ExitCode(1) }
    }

    /// Writes the replay file to `--replay-out`, or, when that fails, to the temporary folder:
    /// a failure found must never be lost. Returns where it went.
    private func save(_ file: ReplayFile) throws -> String {
        let bytes = Array(try file.encoded())
        do {
            try OutputFile.write(bytes, to: replayOut)
            return replayOut
        } catch {
            let folder = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            let fallback = "\(folder)/lockstep-fuzz-\(getpid()).replay.json"
            do {
                try OutputFile.write(bytes, to: fallback)
            } catch let second {
                throw ValidationError("\(error); the replay file could not be saved anywhere (\(second))")
            }
            printError("warning: \(error); the replay file was written to \(fallback) instead")
            return fallback
        }
    }

    /// Where the shrunk failure's captures go: next to its replay file unless told otherwise.
    var failurePcapDirectory: String? {
        if noPcap { return nil }
        return pcapDir ?? Self.pcapDirectory(beside: replayOut)
    }

    static func pcapDirectory(beside replay: String) -> String {
        (replay.hasSuffix(".json") ? String(replay.dropLast(5)) : replay) + ".pcap"
    }

    /// Refuses a campaign whose estimated wall time passes a day, with its price.
    static func refuseAbsurd(runs: Int, of scenario: Scenario, jobs: Int, option: String) throws {
        // A run costs its events plus about a millisecond of building both hosts.
        let perRun = max(RunCost(scenario.configuration).seconds, 0.001)
        let seconds = Double(runs) * perRun / Double(jobs)
        guard seconds > longestCampaignSeconds else { return }
        throw ValidationError("\(option) is refused: \(runs) runs of about \(Int(perRun * 1000)) ms each on \(jobs) job(s) would take "
                              + "\(RunCost.duration(seconds)); give --time S to bound the wall time, or fewer --runs")
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

    /// `--strategy exhaustive`: every schedule of the scenario with seed `--seed`, up to `--runs`
    /// schedules or `--time` seconds, with progress on a terminal.
    private func runExhaustive(_ target: FuzzTarget) throws {
        let bound = time == nil ? (runs ?? 1000) : Int.max
        if time == nil { try Self.refuseAbsurd(runs: bound, of: target.scenario, jobs: 1, option: "--runs \(bound)") }
        let progress = FuzzProgress(total: time == nil ? bound : nil, timeLimit: time,
                                    draw: format == .text && isatty(2) != 0 ? Self.writeToStandardError : nil)
        let deadline = time.map { ContinuousClock.now + .milliseconds(Int64($0 * 1000)) }
        let (outcome, failures) = target.exhaustive(
            seed: seed, bound: bound, proceeds: { deadline.map { ContinuousClock.now < $0 } ?? true },
            progress: progress.update)
        progress.finish()
        print(outcome.text(scenario: target.scenario.name, failures: failures))
        if !failures.isEmpty { throw ExitCode(1) }
    }

    static func seedSpace(seed: UInt64, shard: String) throws -> FuzzSeedSpace {
        let parts = shard.split(separator: "/", omittingEmptySubsequences: false).compactMap { Int($0) }
        guard parts.count == 2, (1...1_000_000).contains(parts[1]), (1...parts[1]).contains(parts[0]) else {
            throw ValidationError("--shard must be K/N with 1 <= K <= N, e.g. 2/4")
        }
        return FuzzSeedSpace(baseSeed: seed, shard: parts[0], shardCount: parts[1])
    }

    @Sendable static func writeToStandardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
