import Dispatch
import Foundation

/// How a campaign explores.
public enum FuzzStrategy: String, Sendable, Codable, CaseIterable {
    /// Every decision drawn uniformly from the run's seed.
    case random
    /// Simultaneous events ordered by PCT priorities (``PCTChooser``), the rest drawn uniformly.
    case pct
    /// Every decision list in depth-first order up to `--runs` schedules (``ExhaustiveEnumerator``).
    case exhaustive
}

public struct FuzzOptions: Sendable {
    /// Size of the seed space: indices `0..<runs` (an upper bound when `timeLimit` is set).
    public var runs: Int = 100
    public var seeds = FuzzSeedSpace(baseSeed: 1)
    public var strategy: FuzzStrategy = .random
    /// PCT's bug depth (`--depth`): `depth - 1` priority changes per run.
    public var pctDepth = 3
    public var jobs: Int = 1
    /// Candidate runs the shrinker may spend on the first failure (0: keep it as found).
    public var shrinkBudget: Int = 400
    /// Wall-clock seconds after which no further index is started (`--time`); the indices run
    /// are still a prefix of this shard's, so the result equals `--runs` of that many.
    public var timeLimit: Double?
    /// After shrinking the decisions, also shrink the workload (``WorkloadShrinker``); the CLI
    /// turns it on (`--no-shrink-workload` to skip).
    public var shrinksWorkload = false

    public init() {}
}

/// The outcome of a campaign: failures in seed-space order, the first one shrunk.
public struct FuzzResult: Sendable, Hashable, Codable {
    public var scenario: String
    public var scenarioHash: String
    public var strategy: FuzzStrategy
    public var baseSeed: UInt64
    /// Size of the seed space the shards slice (`--runs`). Under `--time`, the smallest `--runs`
    /// that gives the same indices.
    public var runs: Int
    /// The indices this result covers, each exactly once.
    public var indicesRun: Int
    public var shards: [String]
    /// PCT's depth and step estimate (strategy `pct`).
    public var pct: PCTParameters?
    /// The `--time` limit in seconds that ended the campaign, if any.
    public var timeLimit: Double?
    public var failures: [FuzzTrial]
    /// The first failure after shrinking, replayable by seed and decisions (and reduction).
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
        let pct = options.strategy == .pct
            ? PCTParameters(depth: options.pctDepth, steps: max(target.orderingSteps(seed: options.seeds.baseSeed), 1))
            : nil
        let slots = options.seeds.slotCount(runs: options.runs)
        let deadline = options.timeLimit.map { ContinuousClock.now + .milliseconds(Int64($0 * 1000)) }
        let (done, failures) = Self.runAll(
            slots: slots, jobs: options.jobs, deadline: deadline, target: target, seeds: options.seeds, pct: pct,
            progress: progress)
        let runs = options.timeLimit == nil ? options.runs : options.seeds.runsCovering(slots: done)
        var result = FuzzResult(
            scenario: target.scenario.name, scenarioHash: scenarioHash, strategy: options.strategy,
            baseSeed: options.seeds.baseSeed, runs: runs, indicesRun: done,
            shards: ["\(options.seeds.shard)/\(options.seeds.shardCount)"], pct: pct, timeLimit: options.timeLimit,
            failures: failures, shrunk: nil)
        // With no budget the first failure is kept as found, so its replay file is still written.
        if let first = failures.first {
            result.shrunk = Self.shrink(first, target: target, budget: options.shrinkBudget,
                                        shrinksWorkload: options.shrinksWorkload && options.shrinkBudget > 0)
        }
        return result
    }

    /// Shrinks a failing trial to a shorter, simpler decision list breaking the same checks,
    /// then (when asked) to a smaller workload (``WorkloadShrinker``).
    public static func shrink(_ trial: FuzzTrial, target: FuzzTarget, budget: Int, shrinksWorkload: Bool = false) -> FuzzTrial {
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
        if shrinksWorkload {
            var workloadShrinker = WorkloadShrinker(budget: budget)
            shrunk = workloadShrinker.shrink(shrunk, target: target)
        }
        return shrunk
    }

    /// Runs slots `0..<slots` of the seed space (fewer when `deadline` passes: no slot is
    /// started after it, those started finish, so the slots run are always a prefix) and
    /// returns how many ran and the failures in slot order. Workers take the next slot from a
    /// shared counter; a passing run records nothing, a failing one is run again recorded (same
    /// seed, same run), so passing runs cost no decision list.
    static func runAll(
        slots: Int, jobs: Int, deadline: ContinuousClock.Instant?, target: FuzzTarget, seeds: FuzzSeedSpace,
        pct: PCTParameters?, progress: (@Sendable (Int, Int) -> Void)?
    ) -> (Int, [FuzzTrial]) {
        let store = TrialStore(slots: slots, deadline: deadline)
        let workers = max(1, min(jobs, slots))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let slot = store.nextSlot() {
                let index = seeds.index(ofSlot: slot)
                let seed = seeds.seed(ofIndex: index)
                var trial: FuzzTrial?
                if target.fails(seed: seed, pct: pct) {
                    trial = target.trial(index: index, seed: seed, pct: pct)
                }
                let (done, failures) = store.finish(slot, trial)
                progress?(done, failures)
            }
        }
        return store.outcome
    }
}

/// Hands out slots and keeps the failures by slot; shared by the worker threads.
private final class TrialStore: @unchecked Sendable {
    private let lock = NSLock()
    private let slots: Int
    private let deadline: ContinuousClock.Instant?
    private var handedOut = 0
    private var stopped = false
    private var failed: [(slot: Int, trial: FuzzTrial)] = []
    private var done = 0

    init(slots: Int, deadline: ContinuousClock.Instant?) {
        self.slots = slots
        self.deadline = deadline
    }

    func nextSlot() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped, handedOut < slots else { return nil }
        if let deadline, ContinuousClock.now >= deadline {
            stopped = true
            return nil
        }
        handedOut += 1
        return handedOut - 1
    }

    func finish(_ slot: Int, _ trial: FuzzTrial?) -> (Int, Int) {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        if let trial { failed.append((slot, trial)) }
        return (done, failed.count)
    }

    /// Slots run, and the failures in slot order; call after every worker returned.
    var outcome: (Int, [FuzzTrial]) {
        lock.lock()
        defer { lock.unlock() }
        return (done, failed.sorted { $0.slot < $1.slot }.map(\.trial))
    }
}
