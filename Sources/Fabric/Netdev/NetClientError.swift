/// Refusals when building the client topology.
public enum NetClientError: Error, Sendable, Hashable, CustomStringConvertible {
    case duplicateName(String)
    case peerNotFound(String)
    case peerIsNotANetdev(String)
    case peerAlreadyInUse(String)
    case invalidQueueCount(Int)

    public var description: String {
        switch self {
        case .duplicateName(let name):
            "a net client named '\(name)' already exists"
        case .peerNotFound(let name):
            "no netdev named '\(name)' to use as the NIC's peer"
        case .peerIsNotANetdev(let name):
            "'\(name)' is a NIC; a NIC's peer must be a netdev"
        case .peerAlreadyInUse(let name):
            "netdev '\(name)' already has a peer (QEMU: the netdev is in use)"
        case .invalidQueueCount(let count):
            "a netdev needs at least one queue, not \(count)"
        }
    }
}
