/// A netdev's column and the colo-compare objects drawn with it (the ones its filters feed).
struct HostGroup: Sendable, Hashable {
    /// Index into `FigureHost.chains`; nil for a host without netdevs.
    var chain: Int?
    /// Indices into `FigureHost.compares`.
    var compares: [Int]
}

extension FigureHost {
    /// One group per chain; each compare joins the chain of the first filter it shares a pipe
    /// with, or the first group when it shares none.
    func groups(model: FigureModel) -> [HostGroup] {
        var groups = chains.indices.map { HostGroup(chain: $0, compares: []) }
        if groups.isEmpty { groups = [HostGroup(chain: nil, compares: [])] }
        for (index, compare) in compares.enumerated() {
            let peerChain = compare.ports.lazy.compactMap { port -> Int? in
                guard let peer = model.peerPort(of: port), peer.host == role, !peer.role.isCompare else { return nil }
                return chains.firstIndex { $0.filters.contains { $0.filter.id == peer.role.ownerID } }
            }.first
            let target = groups.firstIndex { $0.chain == peerChain } ?? 0
            groups[target].compares.append(index)
        }
        return groups
    }

    /// Ports drawn in a group (its chain's filters and its compares).
    func ports(in group: HostGroup) -> [FigurePort] {
        let filters = group.chain.map { chains[$0].filters.flatMap(\.ports) } ?? []
        return filters + group.compares.flatMap { compares[$0].ports }
    }
}
