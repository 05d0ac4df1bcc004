/// The `-netdev` backend type (`tap`, `socket` ...). A string-backed value so unknown types can
/// still be carried; which ones a QEMU version accepts is in the importer's catalog.
public struct NetdevKind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public static let tap = NetdevKind(rawValue: "tap")
    public static let socket = NetdevKind(rawValue: "socket")
    public static let user = NetdevKind(rawValue: "user")
    public static let hubport = NetdevKind(rawValue: "hubport")
    public static let bridge = NetdevKind(rawValue: "bridge")
    public static let stream = NetdevKind(rawValue: "stream")
    public static let dgram = NetdevKind(rawValue: "dgram")
    public static let vhostUser = NetdevKind(rawValue: "vhost-user")
    public static let vhostVdpa = NetdevKind(rawValue: "vhost-vdpa")
    public static let l2tpv3 = NetdevKind(rawValue: "l2tpv3")
    public static let vde = NetdevKind(rawValue: "vde")
    public static let netmap = NetdevKind(rawValue: "netmap")
    public static let afXDP = NetdevKind(rawValue: "af-xdp")
    public static let passt = NetdevKind(rawValue: "passt")

    public var description: String { rawValue }
}

/// One `-netdev`: the host side of a guest NIC, where COLO filters attach (F-1).
public struct NetdevConfiguration: Sendable, Hashable {
    public var id: String
    public var kind: NetdevKind
    /// `vhost=on` on a tap: frames bypass QEMU's net core, so filters refuse the backend (F-1.3).
    public var vhost: Bool
    /// A tap's `vnet_hdr=` setting; nil leaves QEMU to probe the kernel (normally on).
    public var vnetHeader: Bool?
    /// A tap's `queues=` count; more than one makes the backend multiqueue (F-1.2).
    public var queues: Int?
    /// Everything else (`script=`, `ifname=`, `hubid=` ...), in the order written.
    public var options: [QEMUKeyValue]

    public init(
        id: String,
        kind: NetdevKind,
        vhost: Bool = false,
        vnetHeader: Bool? = nil,
        queues: Int? = nil,
        options: [QEMUKeyValue] = []
    ) {
        self.id = id
        self.kind = kind
        self.vhost = vhost
        self.vnetHeader = vnetHeader
        self.queues = queues
        self.options = options
    }

    /// True when the backend is served by vhost, either by `vhost=on` or by its type.
    public var usesVhost: Bool {
        vhost || kind == .vhostUser || kind == .vhostVdpa
    }

    /// True when the backend is made of several net clients, which filters refuse.
    public var isMultiqueue: Bool { (queues ?? 1) > 1 }

    /// Whether this backend can carry virtio-net headers at all: a tap unless `vnet_hdr=off`.
    public var canCarryVnetHeader: Bool {
        switch kind {
        case .tap, .bridge: vnetHeader ?? true
        case .vhostUser, .vhostVdpa: true
        default: false
        }
    }
}
