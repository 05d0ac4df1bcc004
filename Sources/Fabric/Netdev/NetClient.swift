/// One of QEMU's net clients: a backend ("netdev", e.g. a tap) or a guest NIC. A backend and a
/// NIC are each other's peer. Only backends carry filters (F-1).
public final class NetClient {
    public enum Role: Sendable, Hashable, CustomStringConvertible {
        case netdev
        case nic

        public var description: String {
            switch self {
            case .netdev: "netdev"
            case .nic: "NIC"
            }
        }
    }

    public let name: String
    public let role: Role
    /// e.g. "tap", "virtio-net-pci"; informative only.
    public let driver: String
    /// Position in the net core's creation order (F-9 visits clients in this order).
    public let creationIndex: Int
    /// Not `weak`: a weak reference gives the client a side table, which sends every retain and
    /// release of it (several per hop) down the runtime's slow path. Peers are clients of the
    /// same core, which keeps every client alive and clears these links when it goes.
    public internal(set) unowned(unsafe) var peer: NetClient?
    public var isLinkDown = false
    /// The virtio-net header length V currently in use on this client; a backend's value is
    /// what mirror/redirector write beside each record (W-3) and what filter-dump skips (B-2).
    public var vnetHeaderLength: UInt32
    public let usesVhost: Bool
    public var endpoint: any NetEndpoint
    /// The filter list, head first.
    public internal(set) var filters: [FilterContext] = []
    /// Set when the endpoint deferred a frame; cleared by a flush (QEMU's `receive_disabled`).
    public internal(set) var isReceiveDisabled = false

    let incoming = NetIncomingQueue()

    init(
        name: String, role: Role, driver: String, creationIndex: Int, vnetHeaderLength: UInt32,
        usesVhost: Bool, endpoint: any NetEndpoint
    ) {
        self.name = name
        self.role = role
        self.driver = driver
        self.creationIndex = creationIndex
        self.vnetHeaderLength = vnetHeaderLength
        self.usesVhost = usesVhost
        self.endpoint = endpoint
    }

    /// Frames waiting in this client's incoming queue, oldest first.
    public var queuedFrames: [Frame] { incoming.entries.map(\.frame) }
    public var queuedFrameCount: Int { incoming.entries.count }
}
