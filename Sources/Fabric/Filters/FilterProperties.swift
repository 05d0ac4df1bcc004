/// The `queue` property (F-2): which walks a filter sees. Raw values follow QEMU's enumeration
/// order (all = 0, rx = 1, tx = 2).
public enum FilterQueue: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case all = 0
    case rx = 1
    case tx = 2

    /// Parses the property text; anything but `all`, `rx`, `tx` is refused as QEMU does.
    public init(parsing text: String) throws(FilterPropertyError) {
        switch text {
        case "all": self = .all
        case "rx": self = .rx
        case "tx": self = .tx
        default: throw .invalidQueue(text)
        }
    }

    /// F-5: the filter is invoked for walks of this direction.
    public func sees(_ direction: NetDirection) -> Bool {
        switch (self, direction) {
        case (.all, _), (.rx, .rx), (.tx, .tx): true
        default: false
        }
    }

    /// F-7: the direction of a re-injected walk. `all` resolves by who the nominal sender is.
    func injectionDirection(nominalSender: NetClient, netdev: NetClient) -> NetDirection {
        switch self {
        case .tx: .tx
        case .rx: .rx
        case .all: nominalSender === netdev ? .tx : .rx
        }
    }

    public var description: String {
        switch self {
        case .all: "all"
        case .rx: "rx"
        case .tx: "tx"
        }
    }
}

/// The `status` property (F-8).
public enum FilterStatus: Sendable, Hashable, CustomStringConvertible {
    case on
    case off

    public init(parsing text: String) throws(FilterPropertyError) {
        switch text {
        case "on": self = .on
        case "off": self = .off
        default: throw .invalidStatus(text)
        }
    }

    public var description: String {
        switch self {
        case .on: "on"
        case .off: "off"
        }
    }
}

/// The `insert` property: where a `position=id=X` filter goes relative to X.
public enum FilterInsert: Sendable, Hashable, CustomStringConvertible {
    case before
    case behind

    public init(parsing text: String) throws(FilterPropertyError) {
        switch text {
        case "before": self = .before
        case "behind": self = .behind
        default: throw .invalidInsert(text)
        }
    }

    public var description: String {
        switch self {
        case .before: "before"
        case .behind: "behind"
        }
    }
}

/// The `position` property (F-1.4): where in its netdev's list a filter is inserted.
public enum FilterPosition: Sendable, Hashable, CustomStringConvertible {
    case head
    case tail
    /// `id=<filter-id>`: next to that filter, on the side `insert` says.
    case filter(String)

    /// Parses `head`, `tail` or `id=<id>`; nil for anything else, which QEMU refuses at
    /// completion. `id=` alone names the filter '' (which QEMU then does not find).
    public init?(parsing text: String) {
        switch text {
        case "head": self = .head
        case "tail": self = .tail
        default:
            guard text.hasPrefix("id=") else { return nil }
            self = .filter(String(text.dropFirst(3)))
        }
    }

    public var description: String {
        switch self {
        case .head: "head"
        case .tail: "tail"
        case .filter(let id): "id=\(id)"
        }
    }
}

/// Properties every filter has (§3.1). `position` stays text because QEMU validates it only at
/// completion (F-1 step 4): `head`, `tail` or `id=<filter-id>`.
public struct FilterOptions: Sendable, Hashable {
    public var id: String
    public var netdev: String?
    public var queue: FilterQueue
    public var status: FilterStatus
    public var position: String
    public var insert: FilterInsert

    public init(
        id: String,
        netdev: String?,
        queue: FilterQueue = .all,
        status: FilterStatus = .on,
        position: String = "tail",
        insert: FilterInsert = .behind
    ) {
        self.id = id
        self.netdev = netdev
        self.queue = queue
        self.status = status
        self.position = position
        self.insert = insert
    }
}

/// A property value QEMU refuses as soon as it is set, before the filter is completed.
public enum FilterPropertyError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidQueue(String)
    case invalidStatus(String)
    case invalidInsert(String)
    /// filter-dump's `maxlen` does not take 0.
    case invalidMaxLength(UInt32)

    public var description: String {
        switch self {
        case .invalidQueue(let value):
            "queue '\(value)' is invalid: it must be all, rx or tx"
        case .invalidStatus(let value):
            "status '\(value)' is invalid: it must be on or off"
        case .invalidInsert(let value):
            "insert '\(value)' is invalid: it must be before or behind"
        case .invalidMaxLength(let value):
            "maxlen \(value) is invalid: filter-dump needs at least one byte per record"
        }
    }
}
