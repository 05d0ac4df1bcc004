/// Suggests the known name a misspelt one was probably meant to be.
public enum ClosestName {
    /// The candidate nearest to `name` by edit distance (insertions, deletions, substitutions and
    /// swaps of neighbours), if it is near enough to be a plausible typo; a candidate that
    /// `name` is a prefix of (`down` → `downscript`) also counts. Ties go to the earlier candidate.
    public static func suggestion(for name: String, among candidates: [String]) -> String? {
        guard !name.isEmpty else { return nil }
        let limit = max(1, min(3, name.count / 3))
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != name {
            let distance = editDistance(name, candidate)
            if distance <= limit, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        if let best { return best.candidate }
        if name.count >= 3 {
            return candidates.first { $0.hasPrefix(name) && $0 != name }
        }
        return nil
    }

    /// Optimal string alignment distance.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
