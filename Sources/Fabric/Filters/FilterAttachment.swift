/// A view of one QEMU process as F-1 steps 1–4 see it when a filter is created: the network
/// backends, the guest NICs and the object tree. The net core is one; the deployment model
/// builds another to predict the filter lists, and QEMU's refusals, from a topology.
public protocol FilterAttachmentSite {
    /// What a filter attaches to.
    associatedtype Backend
    /// A filter already in a backend's list, as `position=id=` finds it.
    associatedtype Neighbour

    /// The backend called `name`; nil when no backend has that name.
    func backend(named name: String) -> FilterBackend<Backend>?
    /// Whether a guest NIC is called `name`: the usual mistake, since filters attach to backends.
    func hasNIC(named name: String) -> Bool
    /// What the object tree holds under `id` at the moment the filter is created.
    func positionTarget(_ id: String) -> FilterPositionTarget<Neighbour>
}

/// A backend found by name, with what F-1.2 and F-1.3 look at.
public struct FilterBackend<Backend> {
    public var backend: Backend
    public var queues: Int
    public var usesVhost: Bool

    public init(backend: Backend, queues: Int, usesVhost: Bool) {
        self.backend = backend
        self.queues = queues
        self.usesVhost = usesVhost
    }
}

/// What `position=id=<id>` finds (F-1.4).
public enum FilterPositionTarget<Neighbour> {
    /// Nothing with that id exists (yet).
    case missing
    /// An object that is not a filter.
    case notAFilter(typeName: String)
    /// A filter in the list of the backend called `netdev`.
    case filter(Neighbour, netdev: String)
}

/// Where in its backend's list a new filter goes (F-1.4 with `insert`).
public enum FilterPlacement<Neighbour> {
    case head
    case tail
    case before(Neighbour)
    case behind(Neighbour)

    /// The index the new filter takes in a list of `count` filters, where `index(of:)` finds the
    /// neighbour; a neighbour no longer in the list puts it at the tail.
    public func slot(inListOf count: Int, index: (Neighbour) -> Int?) -> Int {
        switch self {
        case .head: 0
        case .tail: count
        case .before(let neighbour): index(neighbour) ?? count
        case .behind(let neighbour): index(neighbour).map { $0 + 1 } ?? count
        }
    }
}

extension FilterAttachmentSite {
    /// F-1.1–F-1.3, in QEMU's order: the backend `netdev` names, or why QEMU refuses it.
    public func attachmentBackend(_ netdev: String?) throws(FilterCreationError) -> Backend {
        guard let name = netdev else { throw .netdevMissing }
        guard let found = backend(named: name) else { throw .netdevNotABackend(name, namesNIC: hasNIC(named: name)) }
        guard found.queues <= 1 else { throw .multiqueueUnsupported(name, queues: found.queues) }
        guard !found.usesVhost else { throw .vhostUnsupported(name) }
        return found.backend
    }

    /// F-1.4: where `position` and `insert` put a filter in the list of the backend called
    /// `netdev`, or why QEMU refuses the position.
    public func placement(
        _ position: FilterPosition, insert: FilterInsert, onBackendNamed netdev: String
    ) throws(FilterCreationError) -> FilterPlacement<Neighbour> {
        switch position {
        case .head:
            return .head
        case .tail:
            return .tail
        case .filter(let id):
            switch positionTarget(id) {
            case .missing:
                throw .positionFilterNotFound(id)
            case .notAFilter(let typeName):
                throw .positionIsNotAFilter(id, typeName: typeName)
            case .filter(let neighbour, let neighbourNetdev):
                guard neighbourNetdev == netdev else { throw .positionFilterOnDifferentNetdev(id, netdev: neighbourNetdev) }
                return insert == .before ? .before(neighbour) : .behind(neighbour)
            }
        }
    }
}
