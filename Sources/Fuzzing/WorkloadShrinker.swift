/// The second stage of shrinking: with the decision list already minimal, makes the client do
/// less while the run still breaks the same first check (``FuzzTrial/firstCheck``): fewer
/// connections, fewer exchanges per connection, smaller responses and requests (each to the
/// smallest failing value by bisection, trying the simplest first), then timeline events left
/// out one at a time. The decision list is replayed unchanged on each candidate (clamped and
/// canonical past its end, so every candidate is a valid run), then shrunk again on the
/// reduced workload. Bounded by `budget` candidate runs.
public struct WorkloadShrinker {
    public var budget: Int
    public private(set) var attempts = 0

    public init(budget: Int = 200) {
        self.budget = budget
    }

    public mutating func shrink(_ trial: FuzzTrial, target: FuzzTarget) -> FuzzTrial {
        guard let check = trial.firstCheck else { return trial }
        let base = target.scenario.configuration
        var best = trial.reduction ?? WorkloadReduction()
        var decisions = trial.decisions

        func fails(_ candidate: WorkloadReduction) -> Bool {
            guard attempts < budget else { return false }
            attempts += 1
            let (_, replayed) = target.reduced(by: candidate).replay(seed: trial.seed, decisions: decisions)
            return replayed.firstCheck == check
        }
        /// The smallest value in `floor...current` that still fails, trying `floor` first.
        func smallest(_ current: Int, floor: Int, _ with: (Int) -> WorkloadReduction) -> Int {
            guard current > floor else { return current }
            if fails(with(floor)) { return floor }
            var low = floor + 1
            var high = current
            while low < high, attempts < budget {
                let middle = low + (high - low) / 2
                if fails(with(middle)) { high = middle } else { low = middle + 1 }
            }
            return high
        }

        /// Shrinks one workload field, leaving the reduction untouched when nothing smaller fails.
        func shrinkField(_ field: WritableKeyPath<WorkloadReduction, Int?>, from current: Int, floor: Int) {
            let value = smallest(current, floor: floor) { value in
                var candidate = best
                candidate[keyPath: field] = value
                return candidate
            }
            if value != current { best[keyPath: field] = value }
        }
        shrinkField(\.connections, from: base.workload.connections, floor: 1)
        shrinkField(\.requestsPerConnection, from: base.workload.requestsPerConnection, floor: 1)
        shrinkField(\.responseSize, from: base.workload.responseSize, floor: 0)
        shrinkField(\.requestSize, from: base.workload.requestSize, floor: 0)
        for position in base.timeline.indices.reversed() where attempts < budget {
            var candidate = best
            candidate.droppedTimelineEvents = (best.droppedTimelineEvents + [position]).sorted()
            if fails(candidate) { best = candidate }
        }

        let reducedTarget = target.reduced(by: best)
        if best != (trial.reduction ?? WorkloadReduction()), attempts < budget {
            // The old list was shaped by the bigger workload; shrink it again on the new one.
            var shrinker = DecisionShrinker(budget: budget - attempts)
            decisions = shrinker.shrink(decisions) { candidate in
                reducedTarget.replay(seed: trial.seed, decisions: candidate).1.firstCheck == check
            }
            attempts += shrinker.attempts
        }
        var (_, shrunk) = reducedTarget.replay(seed: trial.seed, decisions: decisions)
        guard shrunk.firstCheck == check else { return trial }
        shrunk.index = trial.index
        shrunk.decisions = decisions
        shrunk.reduction = best.isEmpty ? nil : best
        return shrunk
    }
}
