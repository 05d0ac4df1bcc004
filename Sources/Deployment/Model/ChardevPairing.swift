/// One socket chardev of one host.
public struct ChardevEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: HostRole
    public var chardev: String

    public init(host: HostRole, chardev: String) {
        self.host = host
        self.chardev = chardev
    }

    public var description: String { "\(host).\(chardev)" }
}

/// A server chardev and the client that connects to it: one pipe of the COLO path.
public struct ChardevLink: Sendable, Hashable, CustomStringConvertible {
    public var server: ChardevEndpoint
    public var client: ChardevEndpoint
    /// The address the client connects to.
    public var address: SocketAddress

    public init(server: ChardevEndpoint, client: ChardevEndpoint, address: SocketAddress) {
        self.server = server
        self.client = client
        self.address = address
    }

    public var crossesHosts: Bool { server.host != client.host }

    /// The end opposite `endpoint`, if `endpoint` is one of the two.
    public func peer(of endpoint: ChardevEndpoint) -> ChardevEndpoint? {
        if endpoint == server { return client }
        if endpoint == client { return server }
        return nil
    }

    public var description: String { "\(server) <- \(client) (\(address))" }
}

/// Why some socket chardevs cannot form a pipe.
public enum ChardevPairingProblem: Sendable, Hashable {
    /// A client whose address no server listens on.
    case clientWithoutServer(ChardevEndpoint, address: SocketAddress)
    /// A server no client connects to.
    case serverWithoutClient(ChardevEndpoint, address: SocketAddress)
    /// Several servers listen on one address.
    case severalServers([ChardevEndpoint], address: SocketAddress)
    /// Several clients connect to one server, which serves one connection at a time.
    case severalClients(server: ChardevEndpoint, clients: [ChardevEndpoint], address: SocketAddress)
}

/// The server ↔ client pairs of both hosts' socket chardevs, matched by host:port or path.
public struct ChardevPairing: Sendable, Hashable {
    public private(set) var links: [ChardevLink] = []
    public private(set) var problems: [ChardevPairingProblem] = []

    /// Pairs every socket chardev (both hosts, primary first, each in chardev order).
    public init(topology: Topology) {
        var servers: [(ChardevEndpoint, SocketAddress)] = []
        var clients: [(ChardevEndpoint, SocketAddress)] = []
        for role in HostRole.allCases {
            for chardev in topology[role].chardevs {
                guard let socket = chardev.socket else { continue }
                if case .fd = socket.address { continue }
                let endpoint = ChardevEndpoint(host: role, chardev: chardev.id)
                if socket.server {
                    servers.append((endpoint, socket.address))
                } else {
                    clients.append((endpoint, socket.address))
                }
            }
        }
        // Servers claiming one address (exact match) are reported once, together.
        var reportedServerAddresses: [SocketAddress] = []
        for (_, address) in servers where !reportedServerAddresses.contains(address) {
            let sharing = servers.filter { $0.1 == address }.map(\.0)
            if sharing.count > 1 {
                problems.append(.severalServers(sharing, address: address))
                reportedServerAddresses.append(address)
            }
        }
        var clientsByServer: [[ChardevEndpoint]] = Array(repeating: [], count: servers.count)
        for (client, address) in clients {
            let candidates = servers.indices.filter { address.reaches(server: servers[$0].1) }
            // Prefer an exact address over a wildcard listener; with several servers on one
            // address the first one gets the link (the conflict is already reported).
            let exact = candidates.first { servers[$0].1 == address }
            guard let chosen = exact ?? candidates.first else {
                problems.append(.clientWithoutServer(client, address: address))
                continue
            }
            clientsByServer[chosen].append(client)
            links.append(ChardevLink(server: servers[chosen].0, client: client, address: address))
        }
        for (index, (server, address)) in servers.enumerated() {
            let connected = clientsByServer[index]
            if connected.isEmpty {
                if !reportedServerAddresses.contains(address) {
                    problems.append(.serverWithoutClient(server, address: address))
                }
            } else if connected.count > 1 {
                problems.append(.severalClients(server: server, clients: connected, address: address))
            }
        }
    }

    /// The link `endpoint` takes part in, if any (the first, when a server has several).
    public func link(of endpoint: ChardevEndpoint) -> ChardevLink? {
        links.first { $0.server == endpoint || $0.client == endpoint }
    }

    /// The chardev at the other end of `endpoint`'s pipe.
    public func peer(of endpoint: ChardevEndpoint) -> ChardevEndpoint? {
        link(of: endpoint)?.peer(of: endpoint)
    }
}
