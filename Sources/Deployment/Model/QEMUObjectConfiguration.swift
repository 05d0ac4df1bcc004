import Primary

/// One `-object iothread`.
public struct IOThreadConfiguration: Sendable, Hashable {
    public var id: String
    /// `poll-max-ns=` and friends, in the order written.
    public var options: [QEMUKeyValue]

    public init(id: String, options: [QEMUKeyValue] = []) {
        self.id = id
        self.options = options
    }
}

/// An `-object` of a type the COLO path does not use (`memory-backend-ram`, `secret` ...).
public struct OtherObjectConfiguration: Sendable, Hashable {
    public var typeName: String
    public var id: String
    public var options: [QEMUKeyValue]

    public init(typeName: String, id: String, options: [QEMUKeyValue] = []) {
        self.typeName = typeName
        self.id = id
        self.options = options
    }
}

/// One `-object`, in creation order.
public enum QEMUObjectConfiguration: Sendable, Hashable {
    case iothread(IOThreadConfiguration)
    case filter(FilterConfiguration)
    case coloCompare(COLOCompareObject)
    case other(OtherObjectConfiguration)

    public var id: String {
        switch self {
        case .iothread(let thread): thread.id
        case .filter(let filter): filter.id
        case .coloCompare(let compare): compare.id
        case .other(let object): object.id
        }
    }

    /// The QOM type name, e.g. `colo-compare`.
    public var typeName: String {
        switch self {
        case .iothread: "iothread"
        case .filter(let filter): filter.kind.typeName
        case .coloCompare: "colo-compare"
        case .other(let object): object.typeName
        }
    }

    public var filter: FilterConfiguration? {
        if case .filter(let filter) = self { filter } else { nil }
    }

    public var coloCompare: COLOCompareObject? {
        if case .coloCompare(let compare) = self { compare } else { nil }
    }

    public var iothread: IOThreadConfiguration? {
        if case .iothread(let thread) = self { thread } else { nil }
    }

    /// The chardevs this object is a frontend of.
    public var chardevUses: [(chardev: String, role: ChardevFrontendRole)] {
        switch self {
        case .filter(let filter): filter.chardevUses
        case .coloCompare(let compare): compare.chardevUses
        case .iothread, .other: []
        }
    }
}
