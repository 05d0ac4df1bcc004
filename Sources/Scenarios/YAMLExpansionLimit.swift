import Yams

/// Bounds the nodes a composed document stands for once its aliases are expanded. Yams shares an
/// anchored node wherever it is aliased, so ten levels of ten aliases are a few lines of text and
/// 10^10 nodes for whoever walks them; a scenario is a few hundred nodes.
enum YAMLExpansionLimit {
    static let maximumNodes = 1_000_000

    /// The node at which a walk of the expanded tree passes the limit, if it does.
    static func firstNodePastLimit(_ root: Node, limit: Int = maximumNodes) -> Node? {
        var pending = [root]
        var visited = 0
        while let node = pending.popLast() {
            visited += 1
            if visited > limit { return node }
            switch node {
            case .scalar:
                break
            case .sequence(let sequence):
                pending.append(contentsOf: sequence)
            case .mapping(let mapping):
                for (key, value) in mapping {
                    pending.append(key)
                    pending.append(value)
                }
            }
        }
        return nil
    }
}
