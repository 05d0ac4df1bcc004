import Dispatch
import Foundation

/// How a campaign explores.
public enum FuzzStrategy: String, Sendable, Codable, CaseIterable {
    /// Every decision drawn uniformly from the run's seed.
    case random
    /// Every decision list in depth-first order up to `--runs` schedules (``ExhaustiveEnumerator``).
    case exhaustive
}

public struct FuzzOptions: Sendable {
    public var runs: Int = 100
    public var seeds = FuzzSeedSpace(baseSeed: 1)
    public var strategy: FuzzStrategy = .random
    public var jobs: Int = 1
    /// Candidate runs the shrinker may spend on the first failure (0: do not shrink).
    public var shrinkBudget: Int = 400

    public init() {}
}

/// The outcome of a campaign: failures in seed-space order, the first one shrunk.
public struct FuzzResult: Sendable, Hashable, Codable {
    public var scenario: String
    public var scenarioHash: String
    public var strategy: FuzzStrategy
    public var baseSeed: UInt64
    /// Size of the seed space the shards slice (`--runs`).
    public var runs: Int
    /// The indices this result covers, each exactly once.
    public var indicesRun: Int
    public var shards: [String]
    public var failures: [FuzzTrial]
    /// The first failure after shrinking, replayable by seed and decisions.
    public var shrunk: FuzzTrial?

    public var failed: Bool { !failures.isEmpty }
}

/// Runs a seeded campaign over a ``FuzzTarget``. Each run is single-threaded and fixed by its
/// seed; `jobs` workers run independent indices and results are kept by index, so any job count
/// reports the same failures.
public struct FuzzCampaign {
    public var target: FuzzTarget
    public var options: FuzzOptions
    public var scenarioHash: String

    public init(target: FuzzTarget, options: FuzzOptions, scenarioHash: String) {
        self.target = target
        self.options = options
        self.scenarioHash = scenarioHash
    }

    /// `progress(done, failures)` is called from worker threads after each run.
    public func run(progress: (@Sendable (Int, Int) -> Void)? = nil) -> FuzzResult {
        let indices = options.seeds.indices(runs: options.runs)
        let trials = Self.runAll(indices: indices, jobs: options.jobs, target: target, seeds: options.seeds, progress: progress)
        let failures = trials.filter(\.failed)
        var result = FuzzResult(
            scenario: target.scenario.name, scenarioHash: scenarioHash, strategy: options.strategy,
            baseSeed: options.seeds.baseSeed, runs: options.runs, indicesRun: trials.count,
            shards: ["\(options.seeds.shard)/\(options.seeds.shardCount)"], failures: failures, shrunk: nil)
        if let first = failures.first, options.shrinkBudget > 0 {
            result.shrunk = Self.shrink(first, target: target, budget: options.shrinkBudget)
        }
        return result
    }

    /// Shrinks a failing trial to a shorter, simpler decision list breaking the same checks.
    public static func shrink(_ trial: FuzzTrial, target: FuzzTarget, budget: Int) -> FuzzTrial {
        let names = trial.violationNames
        var shrinker = DecisionShrinker(budget: budget)
        let decisions = shrinker.shrink(trial.decisions) { candidate in
            let (_, replayed) = target.replay(seed: trial.seed, decisions: candidate)
            return replayed.failed && replayed.violationNames.first == names.first
        }
        var (_, shrunk) = target.replay(seed: trial.seed, decisions: decisions)
        shrunk.index = trial.index
        // Keep exactly the list that was checked, so a replay consumes the same decisions.
        shrunk.decisions = decisions
        return shrunk
    }

    static func runAll(
        indices: [Int], jobs: Int, target: FuzzTarget, seeds: FuzzSeedSpace, progress: (@Sendable (Int, Int) -> Void)?
    ) -> [FuzzTrial] {
        let store = TrialStore(count: indices.count)
        let workers = max(1, min(jobs, indices.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for slot in stride(from: worker, to: indices.count, by: workers) {
                let index = indices[slot]
                let trial = target.trial(index: index, seed: seeds.seed(ofIndex: index))
                let (done, failures) = store.put(trial, at: slot)
                progress?(done, failures)
            }
        }
        return store.trials
    }
}

/// Results by slot, filled by worker threads.
private final class TrialStore: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [FuzzTrial?]
    private var done = 0
    private var failures = 0

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func put(_ trial: FuzzTrial, at slot: Int) -> (Int, Int) {
        lock.lock()
        defer { lock.unlock() }
        slots[slot] = trial
        done += 1
        if trial.failed { failures += 1 }
        return (done, failures)
    }

    var trials: [FuzzTrial] {
        lock.lock()
        defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}
