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
    /// Look-ups kept beside the lists so that thousands of filters stay linear.
    private var chainByNetdev: [String: Int] = [:]
    private var chainByFilter: [String: Int] = [:]
    private var positionByFilter: [String: Int] = [:]
    private var rejectionByFilter: [String: FilterCreationError] = [:]

    public init(host: HostConfiguration) {
        chains = []
        rejections = []
        for netdev in host.netdevs where chainByNetdev[netdev.id] == nil {
            chainByNetdev[netdev.id] = chains.count
            chains.append(Chain(netdev: netdev.id, filters: []))
        }
        let index = HostIndex(host)
        let netdevNames = chains.map(\.netdev)
        var createdLateObjects: Set<String> = []
        for object in host.objects {
            defer { createdLateObjects.insert(object.id) }
            guard let filter = object.filter else { continue }
            switch attachment(of: filter, index: index, netdevNames: netdevNames, createdLateObjects: createdLateObjects) {
            case .success(let (chain, placement)):
                let slot = placement.slot(inListOf: chains[chain].filters.count) { chains[chain].filters.firstIndex(of: $0) }
                chains[chain].filters.insert(filter.id, at: slot)
                chainByFilter[filter.id] = chain
            case .failure(let error):
                rejections.append(Rejection(filter: filter.id, reason: error))
                if rejectionByFilter[filter.id] == nil { rejectionByFilter[filter.id] = error }
            }
        }
        for chain in chains {
            for (position, filter) in chain.filters.enumerated() { positionByFilter[filter] = position }
        }
    }

    /// F-1 steps 1–4 against the process as it stands. The look-ups are handed over by value
    /// and the view is gone before the lists change, so they are never copied.
    private func attachment(
        of filter: FilterConfiguration, index: HostIndex, netdevNames: [String], createdLateObjects: Set<String>
    ) -> Result<(Int, FilterPlacement<String>), FilterCreationError> {
        let process = PredictedProcess(index: index, chainByNetdev: chainByNetdev, chainByFilter: chainByFilter,
                                       netdevOfChain: netdevNames, createdLateObjects: createdLateObjects, creating: filter.id)
        do {
            return .success(try process.attach(filter))
        } catch {
            return .failure(error)
        }
    }

    /// The list on `netdev`, head first; empty when the netdev has no filter or does not exist.
    public func order(on netdev: String) -> [String] {
        chainByNetdev[netdev].map { chains[$0].filters } ?? []
    }

    /// Where a filter ended up: its netdev and index in that list.
    public func location(of filter: String) -> (netdev: String, index: Int)? {
        guard let chain = chainByFilter[filter], let position = positionByFilter[filter] else { return nil }
        return (chains[chain].netdev, position)
    }

    public func rejection(of filter: String) -> FilterCreationError? {
        rejectionByFilter[filter]
    }
}

/// One host's QEMU process as it stands when a filter is created, predicted from its
/// configuration: its netdevs and NICs, the objects created so far and the lists built so far.
private struct PredictedProcess: FilterAttachmentSite {
    let index: HostIndex
    let chainByNetdev: [String: Int]
    let chainByFilter: [String: Int]
    let netdevOfChain: [String]
    let createdLateObjects: Set<String>
    /// The filter being created: it is already in the object tree when its position is
    /// resolved, with no netdev of its own yet.
    let creating: String

    /// The net core's own F-1 steps 1–4: the chain the filter joins and where in it.
    func attach(_ filter: FilterConfiguration) throws(FilterCreationError) -> (Int, FilterPlacement<String>) {
        let chain = try attachmentBackend(filter.netdev)
        return (chain, try placement(filter.position, insert: filter.insert, onBackendNamed: netdevOfChain[chain]))
    }

    /// A backend is its list's index in the chains.
    func backend(named name: String) -> FilterBackend<Int>? {
        guard let netdev = index.netdev(name), let chain = chainByNetdev[name] else { return nil }
        return FilterBackend(backend: chain, queues: netdev.queues ?? 1, usesVhost: netdev.usesVhost)
    }

    func hasNIC(named name: String) -> Bool {
        index.nic(name) != nil
    }

    /// A filter neighbour is its id. A filter QEMU refused never joined a list, so it is missing.
    func positionTarget(_ id: String) -> FilterPositionTarget<String> {
        if id == creating { return .filter(id, netdev: "") }
        guard let object = index.object(id), exists(object) else { return .missing }
        guard object.filter != nil else { return .notAFilter(typeName: object.typeName) }
        guard let chain = chainByFilter[id] else { return .missing }
        return .filter(id, netdev: netdevOfChain[chain])
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
