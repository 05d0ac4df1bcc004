extension NetCore {
    /// Creates a filter the way QEMU's object-add does: id checks, then F-1 in order, then
    /// insertion. On a setup failure the filter's cleanup runs and nothing is inserted.
    @discardableResult
    public func addFilter(_ filter: any NetFilter, options: FilterOptions) throws(FilterCreationError) -> FilterContext {
        try checkNewObjectID(options.id)
        guard let netdevName = options.netdev else { throw .netdevMissing }
        let backends = clients.filter { $0.name == netdevName && $0.role == .netdev }
        guard let netdev = backends.first else {
            let namesNIC = clients.contains { $0.name == netdevName && $0.role == .nic }
            throw .netdevNotABackend(netdevName, namesNIC: namesNIC)
        }
        guard backends.count == 1 else { throw .multiqueueUnsupported(netdevName, queues: backends.count) }
        guard !netdev.usesVhost else { throw .vhostUnsupported(netdevName) }
        let placement = try resolvePosition(options.position, on: netdev)
        let context = FilterContext(
            id: options.id, filter: filter, netdev: netdev, queue: options.queue, status: options.status, core: self)
        do {
            try filter.setup(context: context)
        } catch {
            filter.cleanup(context: context)
            throw .setupFailed(filter: options.id, error)
        }
        insert(context, on: netdev, placement: placement, insert: options.insert)
        objects[options.id] = .filter(context)
        context.isAttached = true
        return context
    }

    /// F-11: the cleanup hook runs, then the filter leaves its list and the object tree.
    public func removeFilter(id: String) throws(FilterRemovalError) {
        guard let entry = objects[id] else { throw .notFound(id) }
        guard case .filter(let context) = entry else { throw .notAFilter(id) }
        context.filter.cleanup(context: context)
        context.netdev.filters.removeAll { $0 === context }
        context.isAttached = false
        objects[id] = nil
    }

    /// F-9: every client in creation order, its filters in list order; the first error stops
    /// the remaining visits.
    public func notifyFilters(_ event: COLOFilterEvent) throws(FilterEventError) {
        for client in clients {
            for context in client.filters {
                try context.filter.handleEvent(event, context: context)
            }
        }
    }

    // MARK: Helpers

    func checkNewObjectID(_ id: String) throws(FilterCreationError) {
        guard Self.isWellFormedID(id) else { throw .invalidID(id) }
        guard objects[id] == nil else { throw .duplicateID(id) }
    }

    static func isWellFormedID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, first.isASCIILetter else { return false }
        return id.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || "-._".unicodeScalars.contains($0) }
    }

    enum Placement {
        case head
        case tail
        case relativeTo(FilterContext)
    }

    private func resolvePosition(_ position: String, on netdev: NetClient) throws(FilterCreationError) -> Placement {
        switch position {
        case "head": return .head
        case "tail": return .tail
        default:
            guard position.hasPrefix("id=") else { throw .invalidPosition(position) }
            let anchorID = String(position.dropFirst(3))
            switch objects[anchorID] {
            case nil:
                throw .positionFilterNotFound(anchorID)
            case .other(let typeName):
                throw .positionIsNotAFilter(anchorID, typeName: typeName)
            case .filter(let anchor):
                guard anchor.netdev === netdev else {
                    throw .positionFilterOnDifferentNetdev(anchorID, netdev: anchor.netdev.name)
                }
                return .relativeTo(anchor)
            }
        }
    }

    private func insert(_ context: FilterContext, on netdev: NetClient, placement: Placement, insert: FilterInsert) {
        switch placement {
        case .head:
            netdev.filters.insert(context, at: 0)
        case .tail:
            netdev.filters.append(context)
        case .relativeTo(let anchor):
            let index = netdev.filters.firstIndex { $0 === anchor } ?? netdev.filters.count
            let slot = insert == .before ? index : min(index + 1, netdev.filters.count)
            netdev.filters.insert(context, at: slot)
        }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self)
    }
}
