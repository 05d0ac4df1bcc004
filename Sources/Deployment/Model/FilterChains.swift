/// Why QEMU would refuse to insert a filter (F-1 steps 1–4). The chain builder skips such a
/// filter and records the reason instead.
public enum FilterChainRejection: Sendable, Hashable {
    case netdevMissing(filter: String)
    case netdevNotFound(filter: String, netdev: String)
    /// The name is a guest NIC's id: filters only attach to backends.
    case netdevIsNIC(filter: String, nic: String)
    case vhost(filter: String, netdev: String)
    case multiqueue(filter: String, netdev: String, queues: Int)
    case positionTargetNotFound(filter: String, target: String)
    case positionTargetOnDifferentNetdev(filter: String, target: String, targetNetdev: String)
    /// (quirk) upstream aborts on the failed type cast; a 7.2 release build reads garbage and
    /// reports a different netdev instead.
    case positionTargetNotAFilter(filter: String, target: String, typeName: String)

    public var filter: String {
        switch self {
        case .netdevMissing(let filter), .netdevNotFound(let filter, _), .netdevIsNIC(let filter, _),
             .vhost(let filter, _), .multiqueue(let filter, _, _), .positionTargetNotFound(let filter, _),
             .positionTargetOnDifferentNetdev(let filter, _, _), .positionTargetNotAFilter(let filter, _, _):
            filter
        }
    }
}

/// The per-netdev filter lists after `position`/`insert` are applied, in the order QEMU
/// creates filters (command-line order).
public struct FilterChains: Sendable, Hashable {
    /// One netdev's list, head first. The TX walk runs head → tail, the RX walk tail → head (F-3).
    public struct Chain: Sendable, Hashable {
        public var netdev: String
        public var filters: [String]
    }

    /// One chain per existing netdev, in netdev order (empty lists included).
    public private(set) var chains: [Chain]
    /// Filters QEMU would refuse, in creation order.
    public private(set) var rejections: [FilterChainRejection]

    public init(host: HostConfiguration) {
        chains = host.netdevs.map { Chain(netdev: $0.id, filters: []) }
        rejections = []
        var createdLateObjects: [String] = []
        for object in host.objects {
            defer { createdLateObjects.append(object.id) }
            guard let filter = object.filter else { continue }
            if let rejection = insert(filter, host: host, createdLateObjects: createdLateObjects) {
                rejections.append(rejection)
            }
        }
    }

    /// The list on `netdev`, head first; empty when the netdev has no filter or does not exist.
    public func order(on netdev: String) -> [String] {
        chains.first { $0.netdev == netdev }?.filters ?? []
    }

    /// Where a filter ended up: its netdev and index in that list.
    public func location(of filter: String) -> (netdev: String, index: Int)? {
        for chain in chains {
            if let index = chain.filters.firstIndex(of: filter) {
                return (chain.netdev, index)
            }
        }
        return nil
    }

    public func rejection(of filter: String) -> FilterChainRejection? {
        rejections.first { $0.filter == filter }
    }

    private mutating func insert(
        _ filter: FilterConfiguration,
        host: HostConfiguration,
        createdLateObjects: [String]
    ) -> FilterChainRejection? {
        guard let netdevID = filter.netdev else { return .netdevMissing(filter: filter.id) }
        guard let netdev = host.netdev(netdevID),
              let chainIndex = chains.firstIndex(where: { $0.netdev == netdevID })
        else {
            if host.nic(netdevID) != nil {
                return .netdevIsNIC(filter: filter.id, nic: netdevID)
            }
            return .netdevNotFound(filter: filter.id, netdev: netdevID)
        }
        if netdev.isMultiqueue {
            return .multiqueue(filter: filter.id, netdev: netdevID, queues: netdev.queues ?? 1)
        }
        if netdev.usesVhost {
            return .vhost(filter: filter.id, netdev: netdevID)
        }
        switch filter.position {
        case .head:
            chains[chainIndex].filters.insert(filter.id, at: 0)
        case .tail:
            chains[chainIndex].filters.append(filter.id)
        case .filter(let target):
            guard let targetObject = host.object(target),
                  Self.exists(targetObject, before: createdLateObjects)
            else {
                return .positionTargetNotFound(filter: filter.id, target: target)
            }
            guard targetObject.filter != nil else {
                return .positionTargetNotAFilter(filter: filter.id, target: target, typeName: targetObject.typeName)
            }
            guard let targetIndex = chains[chainIndex].filters.firstIndex(of: target) else {
                guard let otherNetdev = location(of: target)?.netdev else {
                    // The target was itself refused, so it never joined a list.
                    return .positionTargetNotFound(filter: filter.id, target: target)
                }
                return .positionTargetOnDifferentNetdev(filter: filter.id, target: target, targetNetdev: otherNetdev)
            }
            let at = filter.insert == .before ? targetIndex : targetIndex + 1
            chains[chainIndex].filters.insert(filter.id, at: at)
        }
        return nil
    }

    /// Filters and compares are created late, in command-line order; other objects (iothreads,
    /// memory backends ...) exist before any of them.
    private static func exists(_ object: QEMUObjectConfiguration, before createdLateObjects: [String]) -> Bool {
        switch object {
        case .filter, .coloCompare: createdLateObjects.contains(object.id)
        case .iothread, .other: true
        }
    }
}
