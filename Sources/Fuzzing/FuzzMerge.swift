/// Combines shard results of one campaign into the result one machine would have produced.
public enum FuzzMerge {
    public enum Failure: Error, CustomStringConvertible {
        case empty
        case mismatch(String)
        case timeLimited
        /// A shard is missing, given twice, or not a shard (a result merged already).
        case incomplete(String)

        public var description: String {
            switch self {
            case .empty: "no results to merge"
            case .incomplete(let what): "the results are not every shard of the campaign once: \(what)"
            case .timeLimited: "time-limited (--time) shards cover different prefixes and do not merge; re-run the shards with --runs N"
            case .mismatch(let what): "the results are not shards of one campaign: \(what) differs"
            }
        }
    }

    /// The results must be every shard of one split once (a missing pod's shard is refused, not
    /// merged into a smaller campaign). Failures are ordered by index; the merged `shrunk` is
    /// the shrunk form of the lowest-index failure (each shard shrinks its own first failure
    /// deterministically, so the lowest shard's is the one a single machine would have shrunk).
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
        let slices = try results.flatMap(\.shards).map { text throws(Failure) in
            guard let slice = try? ShardSlice(parsing: text) else { throw .incomplete("'\(text)' is not a shard K/N") }
            return slice
        }
        if let problem = ShardSlice.completeness(of: slices) { throw .incomplete(problem) }
        merged.failures = results.flatMap(\.failures).sorted { $0.index < $1.index }
        merged.indicesRun = results.reduce(0) { $0 + $1.indicesRun }
        // Every shard once: the merge is the whole campaign, as one machine would report it.
        merged.shards = [ShardSlice.whole.description]
        let first = merged.failures.first?.index
        merged.shrunk = results.compactMap(\.shrunk).first { $0.index == first }
        return merged
    }
}
