/// A declarative description of a COLO deployment: what the two QEMU command lines create.
/// Value type; every collection is ordered so that anything derived from it is deterministic.
public struct Topology: Sendable, Hashable {
    public var primary: HostConfiguration
    public var secondary: HostConfiguration

    public init(primary: HostConfiguration, secondary: HostConfiguration) {
        self.primary = primary
        self.secondary = secondary
    }

    public subscript(role: HostRole) -> HostConfiguration {
        get {
            switch role {
            case .primary: primary
            case .secondary: secondary
            }
        }
        set {
            switch role {
            case .primary: primary = newValue
            case .secondary: secondary = newValue
            }
        }
    }

    /// Socket chardevs matched server ↔ client by host:port or path, and what failed to match.
    public var pairing: ChardevPairing {
        ChardevPairing(topology: self)
    }

    /// The pipes: every server ↔ client pair, across or within hosts.
    public var links: [ChardevLink] {
        pairing.links
    }

    /// The chardev and its frontends at the far end of `endpoint`'s pipe.
    public func peerFrontends(of endpoint: ChardevEndpoint) -> (endpoint: ChardevEndpoint, roles: [ChardevFrontendRole])? {
        guard let peer = pairing.peer(of: endpoint) else { return nil }
        return (peer, self[peer.host].frontends(ofChardev: peer.chardev))
    }
}
