/// Why creating a filter failed, in the order QEMU checks (object id first, then F-1). Each
/// description says what QEMU's terse error means.
public enum FilterCreationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// QOM: ids start with a letter and use only letters, digits, '-', '.', '_'.
    case invalidID(String)
    /// QOM: the object tree already has an object with this id.
    case duplicateID(String)
    /// F-1.1.
    case netdevMissing
    /// F-1.2: no backend with this name. `namesNIC` tells the common mistake of naming the
    /// guest's NIC: filters attach to backends only.
    case netdevNotABackend(String, namesNIC: Bool)
    /// F-1.2: the name denotes a multiqueue backend (several clients).
    case multiqueueUnsupported(String, queues: Int)
    /// F-1.3.
    case vhostUnsupported(String)
    /// F-1.4: `position` is neither head, tail nor id=<id>.
    case invalidPosition(String)
    /// F-1.4: nothing with that id in the object tree.
    case positionFilterNotFound(String)
    /// F-1.4 (quirk): the id names an object that is not a filter. QEMU aborts the whole
    /// process on the failed type cast; we refuse instead.
    case positionIsNotAFilter(String, typeName: String)
    /// F-1.4: the named filter sits on another netdev's list.
    case positionFilterOnDifferentNetdev(String, netdev: String)
    /// F-1.5.
    case setupFailed(filter: String, FilterSetupError)

    public var description: String {
        switch self {
        case .invalidID(let id):
            "object id '\(id)' is malformed: it must start with a letter and contain only letters, digits, '-', '.' and '_'"
        case .duplicateID(let id):
            "an object with id '\(id)' already exists"
        case .netdevMissing:
            "parameter 'netdev' is required: a filter must name the backend it attaches to"
        case .netdevNotABackend(let name, let namesNIC):
            namesNIC
                ? "netdev '\(name)' is a guest NIC, not a backend: filters attach to the -netdev side (QEMU: invalid parameter value, expected a network backend id)"
                : "no network backend named '\(name)' (QEMU: invalid parameter value, expected a network backend id)"
        case .multiqueueUnsupported(let name, let queues):
            "netdev '\(name)' has \(queues) queues: filters do not support multiqueue backends"
        case .vhostUnsupported(let name):
            "netdev '\(name)' uses vhost: its frames bypass QEMU's net core, so filters cannot see them"
        case .invalidPosition(let value):
            "position '\(value)' is invalid: use head, tail or id=<filter-id>"
        case .positionFilterNotFound(let id):
            "position names filter '\(id)', which does not exist"
        case .positionIsNotAFilter(let id, let typeName):
            "position names '\(id)', a \(typeName) object, not a filter (QEMU would abort here)"
        case .positionFilterOnDifferentNetdev(let id, let netdev):
            "position names filter '\(id)', which belongs to a different netdev ('\(netdev)')"
        case .setupFailed(let filter, let error):
            "filter '\(filter)' could not be set up: \(error)"
        }
    }
}

/// Refusals when deleting a filter.
public enum FilterRemovalError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(String)
    case notAFilter(String)

    public var description: String {
        switch self {
        case .notFound(let id): "no object with id '\(id)'"
        case .notAFilter(let id): "object '\(id)' is not a filter"
        }
    }
}
