import Fabric

/// The per-netdev filter lists after `position`/`insert` are applied, in the order QEMU
/// creates filters (command-line order).
public struct FilterChains: Sendable, Hashable {
    /// One netdev's list, head first. The TX walk runs head → tail, the RX walk tail → head (F-3).
    public struct Chain: Sendable, Hashable {
        public var netdev: String
        public var filters: [String]
    }

    /// A filter QEMU would refuse, and the net core's reason (F-1 steps 1–4).
    public struct Rejection: Sendable, Hashable {
        public var filter: String
        public var reason: FilterCreationError
    }

    /// One chain per existing netdev, in netdev order (empty lists included).
    public private(set) var chains: [Chain]
    /// Filters QEMU would refuse, in creation order.
    public private(set) var rejections: [Rejection]

    public init(host: HostConfiguration) {
        chains = host.netdevs.map { Chain(netdev: $0.id, filters: []) }
        rejections = []
        var createdLateObjects: [String] = []
        for object in host.objects {
            defer { createdLateObjects.append(object.id) }
            guard let filter = object.filter else { continue }
            do {
                try insert(filter, into: PredictedProcess(host: host, chains: chains, createdLateObjects: createdLateObjects, creating: filter.id))
            } catch {
                rejections.append(Rejection(filter: filter.id, reason: error))
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

    public func rejection(of filter: String) -> FilterCreationError? {
        rejections.first { $0.filter == filter }?.reason
    }

    /// The net core's own F-1 steps 1–4, asked of the process as it stands before this filter.
    private mutating func insert(_ filter: FilterConfiguration, into process: PredictedProcess) throws(FilterCreationError) {
        let index = try process.attachmentBackend(filter.netdev)
        let placement = try process.placement(filter.position, insert: filter.insert, onBackendNamed: chains[index].netdev)
        let slot = placement.slot(inListOf: chains[index].filters.count) { chains[index].filters.firstIndex(of: $0) }
        chains[index].filters.insert(filter.id, at: slot)
    }
}

/// One host's QEMU process as it stands when a filter is created, predicted from its
/// configuration: its netdevs and NICs, the objects created so far and the lists built so far.
private struct PredictedProcess: FilterAttachmentSite {
    let host: HostConfiguration
    let chains: [FilterChains.Chain]
    let createdLateObjects: [String]
    /// The filter being created: it is already in the object tree when its position is
    /// resolved, with no netdev of its own yet.
    let creating: String

    /// A backend is its list's index in `chains`.
    func backend(named name: String) -> FilterBackend<Int>? {
        guard let netdev = host.netdev(name), let index = chains.firstIndex(where: { $0.netdev == name }) else { return nil }
        return FilterBackend(backend: index, queues: netdev.queues ?? 1, usesVhost: netdev.usesVhost)
    }

    func hasNIC(named name: String) -> Bool {
        host.nic(name) != nil
    }

    /// A filter neighbour is its id. A filter QEMU refused never joined a list, so it is missing.
    func positionTarget(_ id: String) -> FilterPositionTarget<String> {
        if id == creating { return .filter(id, netdev: "") }
        guard let object = host.object(id), exists(object) else { return .missing }
        guard object.filter != nil else { return .notAFilter(typeName: object.typeName) }
        guard let chain = chains.first(where: { $0.filters.contains(id) }) else { return .missing }
        return .filter(id, netdev: chain.netdev)
    }

    /// Filters and compares are created late, in command-line order; other objects (iothreads,
    /// memory backends ...) exist before any of them.
    private func exists(_ object: QEMUObjectConfiguration) -> Bool {
        switch object {
        case .filter, .coloCompare: createdLateObjects.contains(object.id)
        case .iothread, .other: true
        }
    }
}
