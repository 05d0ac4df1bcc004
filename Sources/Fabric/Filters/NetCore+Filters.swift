extension NetCore {
    /// Creates a filter the way QEMU's object-add does: id checks, then F-1 in order, then
    /// insertion. On a setup failure the filter's cleanup runs and nothing is inserted.
    @discardableResult
    public func addFilter(_ filter: any NetFilter, options: FilterOptions) throws(FilterCreationError) -> FilterContext {
        try checkNewObjectID(options.id)
        let netdev = try attachmentBackend(options.netdev)
        guard let position = FilterPosition(parsing: options.position) else { throw .invalidPosition(options.position) }
        let placement = try placement(position, insert: options.insert, onBackendNamed: netdev.name)
        let context = FilterContext(
            id: options.id, filter: filter, netdev: netdev, queue: options.queue, status: options.status, core: self)
        do {
            try filter.setup(context: context)
        } catch {
            filter.cleanup(context: context)
            throw .setupFailed(filter: options.id, error)
        }
        let slot = placement.slot(inListOf: netdev.filters.count) { neighbour in netdev.filters.firstIndex { $0 === neighbour } }
        netdev.filters.insert(context, at: slot)
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

    /// `object-del` of an object that is not a filter (an iothread, a colo-compare once its host
    /// has torn it down): it leaves the object tree.
    public func removeObject(id: String) throws(FilterRemovalError) {
        guard let entry = objects[id] else { throw .notFound(id) }
        if case .filter = entry { try removeFilter(id: id) } else { objects[id] = nil }
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
        guard QEMUIdentifier.isWellFormed(id) else { throw .invalidID(id) }
        guard objects[id] == nil else { throw .duplicateID(id) }
    }
}

/// The net core answers F-1's questions from its live clients and object tree.
extension NetCore: FilterAttachmentSite {
    public func backend(named name: String) -> FilterBackend<NetClient>? {
        let queues = clients.filter { $0.name == name && $0.role == .netdev }
        guard let first = queues.first else { return nil }
        return FilterBackend(backend: first, queues: queues.count, usesVhost: first.usesVhost)
    }

    public func hasNIC(named name: String) -> Bool {
        clients.contains { $0.name == name && $0.role == .nic }
    }

    public func positionTarget(_ id: String) -> FilterPositionTarget<FilterContext> {
        switch objects[id] {
        case nil: .missing
        case .other(let typeName): .notAFilter(typeName: typeName)
        case .filter(let context): .filter(context, netdev: context.netdev.name)
        }
    }
}
