import Fabric

/// K-11: after a primary failover no filter or compare receives an event; the compare keeps
/// holding packets until the operator deletes it. The documented procedure (docs/COLO-FT.txt)
/// deletes the compare(s), their iothread(s), the mirror(s) and the redirectors, and only then
/// runs `x-colo-lost-heartbeat`: a VM that a checkpoint had stopped stays stopped while the
/// teardown runs, so its output is not stolen into a compare about to be deleted.
public enum PrimaryTeardown {
    /// One `object-del` of the procedure.
    public enum Step: Sendable, Hashable, CustomStringConvertible {
        case deleteCompare(String)
        case deleteIOThread(String)
        case deleteFilter(String)

        public var objectID: String {
            switch self {
            case .deleteCompare(let id), .deleteIOThread(let id), .deleteFilter(let id): id
            }
        }

        public var description: String { "object-del \(objectID)" }
    }

    /// The procedure for one process: every compare, the iothreads they ran in, then mirrors,
    /// then redirectors, the filters in the order they sit in their netdevs' lists (netdevs in
    /// creation order).
    public static func documentedSteps(compares: [String], iothreads: [String] = [], filters: [FilterContext]) -> [Step] {
        let mirrors = filters.filter { $0.typeName == "filter-mirror" }.map(\.id)
        let redirectors = filters.filter { $0.typeName == "filter-redirector" }.map(\.id)
        return compares.map(Step.deleteCompare) + iothreads.map(Step.deleteIOThread)
            + (mirrors + redirectors).map(Step.deleteFilter)
    }
}
