import Fabric

/// Enumerates every decision list of a deterministic program, depth first, without storing
/// states: run a prefix (canonical after it), read the ranges offered at each decision, then
/// advance the last decision that can still grow and cut everything after it. Each complete
/// schedule is run exactly once; `covered` says whether the space was exhausted within `bound`.
public struct ExhaustiveEnumerator {
    public struct Outcome: Sendable, Hashable {
        public var schedules: Int
        public var covered: Bool
        /// `proceeds` stopped the enumeration (a wall-time limit) before the bound.
        public var stoppedEarly = false
    }

    public var bound: Int
    /// Asked before each schedule after the first; false stops the enumeration (`--time`).
    public var proceeds: () -> Bool = { true }

    public init(bound: Int) {
        self.bound = bound
    }

    /// `run(prefix)` runs the program with `prefix` then canonical choices and returns every
    /// decision it made as (maxOffset, offset); `visit` gets each schedule's decisions.
    public func enumerate(run: ([UInt64]) -> [(maxOffset: UInt64, offset: UInt64)]) -> Outcome {
        var prefix: [UInt64] = []
        var schedules = 0
        while schedules < bound {
            if schedules > 0 && !proceeds() { return Outcome(schedules: schedules, covered: false, stoppedEarly: true) }
            let log = run(prefix)
            schedules += 1
            guard let position = log.lastIndex(where: { $0.offset < $0.maxOffset }) else {
                return Outcome(schedules: schedules, covered: true)
            }
            prefix = log[..<position].map(\.offset) + [log[position].offset + 1]
        }
        return Outcome(schedules: schedules, covered: false)
    }
}

extension FuzzTarget {
    /// Every schedule of this scenario up to `bound` runs; the failing ones are returned in
    /// enumeration order.
    /// `proceeds` is asked before each schedule after the first (false stops, as `--time` does);
    /// `progress(done, failures)` is called after each.
    public func exhaustive(seed: UInt64, bound: Int, proceeds: @escaping () -> Bool = { true },
                           progress: ((Int, Int) -> Void)? = nil) -> (ExhaustiveEnumerator.Outcome, [FuzzTrial]) {
        var failures: [FuzzTrial] = []
        var index = 0
        var enumerator = ExhaustiveEnumerator(bound: bound)
        enumerator.proceeds = proceeds
        let outcome = enumerator.enumerate { prefix in
            let recorder = RecordingChooser(wrapping: ReplayingChooser(decisions: prefix), keepsLog: true)
            let (report, violations) = run(seed: seed, chooser: recorder)
            if !violations.isEmpty {
                failures.append(FuzzTrial(
                    index: index, seed: seed, decisions: recorder.decisions, traceHash: report?.traceHash ?? 0,
                    violations: violations))
            }
            index += 1
            progress?(index, failures.count)
            return recorder.log.map { ($0.maxOffset, $0.offset) }
        }
        return (outcome, failures)
    }
}
