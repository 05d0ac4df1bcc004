/// Everything the design checks look at, computed once.
struct LintContext {
    let topology: Topology
    let options: LintOptions
    let pairing: ChardevPairing
    private let primarySources: HostSourceMap
    private let secondarySources: HostSourceMap
    private let primaryChains: FilterChains
    private let secondaryChains: FilterChains
    private let primaryIndex: HostIndex
    private let secondaryIndex: HostIndex
    private let refused: (primary: Set<String>, secondary: Set<String>)

    init(
        topology: Topology,
        primarySources: HostSourceMap,
        secondarySources: HostSourceMap,
        refused: (primary: [String], secondary: [String]),
        options: LintOptions
    ) {
        self.topology = topology
        self.refused = (Set(refused.primary), Set(refused.secondary))
        self.options = options
        self.primarySources = primarySources
        self.secondarySources = secondarySources
        pairing = topology.pairing
        primaryChains = topology.primary.filterChains
        secondaryChains = topology.secondary.filterChains
        primaryIndex = HostIndex(topology.primary)
        secondaryIndex = HostIndex(topology.secondary)
    }

    /// One host's look-ups by id.
    func index(_ role: HostRole) -> HostIndex {
        role == .primary ? primaryIndex : secondaryIndex
    }

    func sources(_ role: HostRole) -> HostSourceMap {
        role == .primary ? primarySources : secondarySources
    }

    func chains(_ role: HostRole) -> FilterChains {
        role == .primary ? primaryChains : secondaryChains
    }

    /// Whether QEMU's own checks refuse this object: design checks then leave it alone, so one
    /// mistake is reported once.
    func isRefused(_ id: String, on role: HostRole) -> Bool {
        (role == .primary ? refused.primary : refused.secondary).contains(id)
    }

    /// The frontends (filter and compare uses) of a chardev endpoint.
    func frontends(_ endpoint: ChardevEndpoint) -> [ChardevFrontendRole] {
        index(endpoint.host).frontends(ofChardev: endpoint.chardev)
    }

    /// Whether a socket chardev takes part in the COLO path (some filter or compare uses it).
    func isCOLOChardev(_ endpoint: ChardevEndpoint) -> Bool {
        // notify_dev talks to Xen's COLO frame, and vhost-user to its back end: neither pairs
        // with a chardev of the two QEMUs.
        frontends(endpoint).contains { role in
            switch role {
            case .vhostUserNetdev, .compareNotifyDev: false
            default: true
            }
        }
    }

    /// The frontends at the far end of the pipe a chardev belongs to.
    func peerFrontends(host: HostRole, chardev: String) -> (endpoint: ChardevEndpoint, roles: [ChardevFrontendRole])? {
        guard let peer = pairing.peer(of: ChardevEndpoint(host: host, chardev: chardev)) else { return nil }
        return (peer, index(peer.host).frontends(ofChardev: peer.chardev))
    }

    func objectLocation(_ role: HostRole, _ id: String) -> ArgumentLocation? {
        sources(role).object(id)
    }

    func chardevLocation(_ endpoint: ChardevEndpoint) -> ArgumentLocation? {
        sources(endpoint.host).chardev(endpoint.chardev)
    }

    /// A filter's place in its netdev's list, with the list (head first).
    func placement(of filter: String, on role: HostRole) -> (chain: [String], index: Int)? {
        let chains = chains(role)
        guard let location = chains.location(of: filter) else { return nil }
        return (chains.order(on: location.netdev), location.index)
    }

    /// Whether the topology is a COLO set-up at all (any filter or compare on either host).
    var isCOLO: Bool {
        HostRole.allCases.contains { role in
            topology[role].objects.contains { $0.filter != nil || $0.coloCompare != nil }
        }
    }
}
