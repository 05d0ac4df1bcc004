import Fabric

/// K-11: after a primary failover no filter or compare receives an event; the compare keeps
/// holding packets until the operator deletes it. The documented procedure (docs/COLO-FT.txt)
/// deletes the compare(s), then the mirror(s), then the redirectors, which lets the primary
/// guest's output reach the tap directly again.
public enum PrimaryTeardown {
    /// One `object-del` of the procedure.
    public enum Step: Sendable, Hashable, CustomStringConvertible {
        case deleteCompare(String)
        case deleteFilter(String)

        public var objectID: String {
            switch self {
            case .deleteCompare(let id), .deleteFilter(let id): id
            }
        }

        public var description: String { "object-del \(objectID)" }
    }

    /// The procedure for one process: every compare, then mirrors, then redirectors, each group
    /// in the order the filters sit in their netdevs' lists (netdevs in creation order).
    public static func documentedSteps(compares: [String], filters: [FilterContext]) -> [Step] {
        let mirrors = filters.filter { $0.typeName == "filter-mirror" }.map(\.id)
        let redirectors = filters.filter { $0.typeName == "filter-redirector" }.map(\.id)
        return compares.map(Step.deleteCompare) + (mirrors + redirectors).map(Step.deleteFilter)
    }
}
