/// Combines shard results of one campaign into the result one machine would have produced.
public enum FuzzMerge {
    public enum Failure: Error, CustomStringConvertible {
        case empty
        case mismatch(String)
        case timeLimited

        public var description: String {
            switch self {
            case .empty: "no results to merge"
            case .timeLimited: "time-limited (--time) shards cover different prefixes and do not merge; re-run the shards with --runs N"
            case .mismatch(let what): "the results are not shards of one campaign: \(what) differs"
            }
        }
    }

    /// Failures are ordered by index; the merged `shrunk` is the shrunk form of the lowest-index
    /// failure (each shard shrinks its own first failure deterministically, so the lowest
    /// shard's is the one a single machine would have shrunk).
    public static func merge(_ results: [FuzzResult]) throws(Failure) -> FuzzResult {
        guard var merged = results.first else { throw .empty }
        if results.count > 1 && results.contains(where: { $0.timeLimit != nil }) { throw .timeLimited }
        for other in results.dropFirst() {
            if other.scenarioHash != merged.scenarioHash { throw .mismatch("scenario hash") }
            if other.baseSeed != merged.baseSeed { throw .mismatch("base seed") }
            if other.runs != merged.runs { throw .mismatch("runs") }
            if other.strategy != merged.strategy { throw .mismatch("strategy") }
            if other.pct != merged.pct { throw .mismatch("PCT depth or step estimate") }
        }
        merged.failures = results.flatMap(\.failures).sorted { $0.index < $1.index }
        merged.indicesRun = results.reduce(0) { $0 + $1.indicesRun }
        merged.shards = results.flatMap(\.shards).sorted()
        let first = merged.failures.first?.index
        merged.shrunk = results.compactMap(\.shrunk).first { $0.index == first }
        if merged.shards.count > 1 { merged.shards = ["merged"] }
        return merged
    }
}
