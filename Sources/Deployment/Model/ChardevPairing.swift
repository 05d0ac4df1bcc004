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
    /// A websocket server and a plain client: TCP connects, but the handshake the server waits
    /// for never comes, so no pipe forms.
    case handshakeMismatch(server: ChardevEndpoint, client: ChardevEndpoint, address: SocketAddress)
}

/// The server ↔ client pairs of both hosts' socket chardevs, matched by host:port or path.
public struct ChardevPairing: Sendable, Hashable {
    public private(set) var links: [ChardevLink] = []
    public private(set) var problems: [ChardevPairingProblem] = []
    /// The first link of each endpoint, for `link(of:)`.
    private var linkByEndpoint: [ChardevEndpoint: Int] = [:]

    /// A socket chardev with what pairing compares, worked out once.
    private struct End {
        let endpoint: ChardevEndpoint
        let socket: SocketChardevOptions
        /// `tcp:PORT` or `unix:PATH`: only ends with equal keys can meet.
        let key: String?
        let position: Int
    }

    /// Pairs every socket chardev (both hosts, primary first, each in chardev order). Ends are
    /// grouped by port or path first, so thousands of chardevs pair in linear time.
    public init(topology: Topology) {
        var servers: [End] = []
        var clients: [End] = []
        for role in HostRole.allCases {
            for (position, chardev) in topology[role].chardevs.enumerated() {
                guard let socket = chardev.socket else { continue }
                if case .fd = socket.address { continue }
                let key: String? = switch socket.address {
                case .inet: socket.address.portNumber.flatMap { $0 == 0 ? nil : "tcp:\($0)" }
                case .unix(let path): "unix:" + path
                case .fd: nil
                }
                let end = End(endpoint: ChardevEndpoint(host: role, chardev: chardev.id), socket: socket, key: key, position: position)
                if socket.server { servers.append(end) } else { clients.append(end) }
            }
        }
        var serversByKey: [String: [Int]] = [:]
        for (index, server) in servers.enumerated() {
            if let key = server.key { serversByKey[key, default: []].append(index) }
        }
        // Servers claiming one address are reported once, together. TCP: the first to bind
        // keeps the port. Unix: each bind unlinks the path first, so a client reaches the
        // server that last took the path before it connects.
        var owner = Array(servers.indices)
        var reported = Set<Int>()
        for index in servers.indices where !reported.contains(index) {
            let sameKey = servers[index].key.flatMap { serversByKey[$0] } ?? [index]
            let sharing = sameKey.filter { servers[$0].socket.address.overlaps(server: servers[index].socket.address) }
            guard sharing.count > 1 else { continue }
            problems.append(.severalServers(sharing.map { servers[$0].endpoint }, address: servers[index].socket.address))
            reported.formUnion(sharing)
            for member in sharing { owner[member] = index }
        }
        var clientsByServer: [[ChardevEndpoint]] = Array(repeating: [], count: servers.count)
        for client in clients {
            let address = client.socket.address
            let candidates = (client.key.flatMap { serversByKey[$0] } ?? []).filter { address.reaches(server: servers[$0].socket.address) }
            // Prefer an exact address over a wildcard listener; among servers sharing an
            // address the one that owns it.
            let exact = candidates.first { servers[$0].socket.address == address }
            guard let found = exact ?? candidates.first else {
                problems.append(.clientWithoutServer(client.endpoint, address: address))
                continue
            }
            let chosen: Int
            if case .unix = address {
                // The latest server on the path created before the client in its own QEMU;
                // failing that, the last one (the other host's, started earlier).
                let earlier = candidates.filter { servers[$0].endpoint.host == client.endpoint.host && servers[$0].position < client.position }
                chosen = earlier.last ?? candidates.last ?? found
            } else {
                chosen = owner[found]
            }
            if servers[chosen].socket.isWebsocket {
                problems.append(.handshakeMismatch(server: servers[chosen].endpoint, client: client.endpoint, address: address))
                continue
            }
            clientsByServer[chosen].append(client.endpoint)
            add(ChardevLink(server: servers[chosen].endpoint, client: client.endpoint, address: address))
        }
        let mismatched = Set(problems.compactMap { problem -> ChardevEndpoint? in
            if case .handshakeMismatch(let server, _, _) = problem { server } else { nil }
        })
        for (index, server) in servers.enumerated() {
            let connected = clientsByServer[index]
            if connected.isEmpty {
                if !reported.contains(index), !mismatched.contains(server.endpoint) {
                    problems.append(.serverWithoutClient(server.endpoint, address: server.socket.address))
                }
            } else if connected.count > 1 {
                problems.append(.severalClients(server: server.endpoint, clients: connected, address: server.socket.address))
            }
        }
    }

    private mutating func add(_ link: ChardevLink) {
        for endpoint in [link.server, link.client] where linkByEndpoint[endpoint] == nil {
            linkByEndpoint[endpoint] = links.count
        }
        links.append(link)
    }

    /// The link `endpoint` takes part in, if any (the first, when a server has several).
    public func link(of endpoint: ChardevEndpoint) -> ChardevLink? {
        linkByEndpoint[endpoint].map { links[$0] }
    }

    /// The chardev at the other end of `endpoint`'s pipe.
    public func peer(of endpoint: ChardevEndpoint) -> ChardevEndpoint? {
        link(of: endpoint)?.peer(of: endpoint)
    }
}
