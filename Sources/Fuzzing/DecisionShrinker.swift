/// Delta debugging over a failing decision list: drops chunks (halves, quarters, ...), cuts the
/// tail, then moves each surviving value toward 0 (zero, then the smallest failing value by bisection). A replay of an edited
/// list is always a valid run (``Fabric/ReplayingChooser`` clamps and falls back to canonical),
/// so every candidate can be tried; one is kept when `stillFails` says it breaks the same checks.
public struct DecisionShrinker {
    /// Upper bound on candidate runs, so shrinking always ends quickly.
    public var budget: Int
    public private(set) var attempts = 0

    public init(budget: Int = 400) {
        self.budget = budget
    }

    public mutating func shrink(_ decisions: [UInt64], stillFails: ([UInt64]) -> Bool) -> [UInt64] {
        var best = decisions
        // Shortest failing prefix first: everything after it becomes canonical.
        var low = 0
        var high = best.count
        while low < high, attempts < budget {
            let middle = (low + high) / 2
            attempts += 1
            if stillFails(Array(best.prefix(middle))) { high = middle } else { low = middle + 1 }
        }
        best = Array(best.prefix(high))
        // Remove chunks, from large to single decisions.
        var chunk = max(best.count / 2, 1)
        while chunk >= 1, attempts < budget {
            var start = 0
            var removedAny = false
            while start < best.count, attempts < budget {
                var candidate = best
                candidate.removeSubrange(start..<min(start + chunk, best.count))
                attempts += 1
                if stillFails(candidate) {
                    best = candidate
                    removedAny = true
                } else {
                    start += chunk
                }
            }
            if chunk == 1 && !removedAny { break }
            chunk = chunk == 1 ? 1 : chunk / 2
            if chunk == 1 && !removedAny && best.count > 64 { break }
        }
        // Simplify values: zero, else bisect toward it.
        for position in best.indices where best[position] != 0 {
            guard attempts < budget else { break }
            var candidate = best
            candidate[position] = 0
            attempts += 1
            if stillFails(candidate) {
                best = candidate
                continue
            }
            // Smallest failing value by bisection (exact when failure is monotone in the value).
            var low: UInt64 = 1
            var high = best[position]
            while low < high, attempts < budget {
                let middle = low + (high - low) / 2
                candidate = best
                candidate[position] = middle
                attempts += 1
                if stillFails(candidate) {
                    best = candidate
                    high = middle
                } else {
                    low = middle + 1
                }
            }
        }
        return best
    }
}
