/// Combines the reports of `lockstep sweep-failover --shard K/N` into the report one machine
/// would have produced (`lockstep sweep-merge`).
public enum FailoverSweepMerge {
    public enum Failure: Error, CustomStringConvertible {
        case empty
        case mismatch(String)
        /// A shard is missing or given twice, or a report is not a shard.
        case incomplete(String)

        public var description: String {
            switch self {
            case .empty: "no reports to merge"
            case .mismatch(let what): "the reports are not shards of one sweep: \(what) differs"
            case .incomplete(let what): "the reports are not every shard of the sweep once: \(what)"
            }
        }
    }

    /// Points in event order, and no shard: every shard once gives exactly the points the whole
    /// sweep selects, which is checked.
    public static func merge(_ reports: [FailoverSweepReport]) throws(Failure) -> FailoverSweepReport {
        guard var merged = reports.first else { throw .empty }
        if reports.count == 1 && merged.shard == nil { return merged }
        for other in reports.dropFirst() {
            if other.scenario != merged.scenario { throw .mismatch("scenario") }
            if other.lost != merged.lost { throw .mismatch("host lost") }
            if other.seed != merged.seed { throw .mismatch("seed") }
            if other.referenceEvents != merged.referenceEvents { throw .mismatch("reference run (event count)") }
            if other.selectedPoints != merged.selectedPoints { throw .mismatch("point selection (--max-points, --from, --to)") }
        }
        let shards = try reports.map { report throws(Failure) in
            guard let shard = report.shard else { throw .incomplete("a report covers the whole sweep, not a shard") }
            return shard
        }
        if let problem = ShardSlice.completeness(of: shards) { throw .incomplete(problem) }
        merged.points = reports.flatMap(\.points).sorted { $0.eventIndex < $1.eventIndex }
        guard merged.points.count == merged.selectedPoints else {
            throw .incomplete("\(merged.points.count) point(s) for \(merged.selectedPoints ?? 0) selected")
        }
        merged.shard = nil
        merged.selectedPoints = nil
        return merged
    }
}
