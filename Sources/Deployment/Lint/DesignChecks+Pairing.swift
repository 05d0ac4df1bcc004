extension DesignChecks {
    /// L030–L033: every COLO chardev must pair with exactly one peer.
    mutating func checkPairing() {
        let pairing = context.pairing
        let unpairedServers: [(ChardevEndpoint, SocketAddress)] = pairing.problems.compactMap {
            if case .serverWithoutClient(let server, let address) = $0 { (server, address) } else { nil }
        }
        let unpairedClients: [(ChardevEndpoint, SocketAddress)] = pairing.problems.compactMap {
            if case .clientWithoutServer(let client, let address) = $0 { (client, address) } else { nil }
        }
        var reportedNoServer: [SocketAddress] = []
        for problem in pairing.problems {
            switch problem {
            case .clientWithoutServer(let client, let address):
                let sameAddress = unpairedClients.filter { $0.1 == address }.map(\.0)
                if sameAddress.count > 1 {
                    guard !reportedNoServer.contains(address), sameAddress.contains(where: context.isCOLOChardev) else { continue }
                    reportedNoServer.append(address)
                    let names = sameAddress.map(describe).joined(separator: " and ")
                    add(.noServer, host: client.host, argument: context.chardevLocation(client), key: "server",
                        message: "\(names) are \(sameAddress.count == 2 ? "both" : "all") clients of \(address) and none is a server: nobody listens, every connect is refused",
                        hint: "make the chardev on the side that starts first a server (server=on,wait=off)")
                    continue
                }
                guard context.isCOLOChardev(client) else { continue }
                let nearMiss = Self.closest(to: address, among: unpairedServers)
                add(.chardevUnpaired, host: client.host, argument: context.chardevLocation(client), key: Self.addressKey(address),
                    message: "client chardev \(describe(client)) connects to \(address), where no server listens: QEMU fails with connection refused (or, with reconnect, retries forever)",
                    hint: nearMiss.map { "the unpaired server \(describe($0.0)) listens on \($0.1): use the same \(Self.addressKey(address)) on both ends" }
                        ?? "add a server chardev on \(address) on the other host, or correct the address")
            case .serverWithoutClient(let server, let address):
                guard context.isCOLOChardev(server) else { continue }
                let nearMiss = Self.closest(to: address, among: unpairedClients)
                add(.chardevUnpaired, host: server.host, argument: context.chardevLocation(server), key: Self.addressKey(address),
                    message: "server chardev \(describe(server)) listens on \(address) but no client connects: \(effectOfSilence(server))",
                    hint: nearMiss.map { "the unpaired client \(describe($0.0)) connects to \($0.1): use the same \(Self.addressKey(address)) on both ends" }
                        ?? "add a client chardev for \(address) where the peer filter is")
            case .severalServers(let servers, let address):
                guard servers.contains(where: context.isCOLOChardev), let first = servers.first else { continue }
                let sameHost = Set(servers.map(\.host)).count < servers.count
                add(.bothServers, host: servers.last?.host, argument: servers.last.flatMap { context.chardevLocation($0) }, key: "server",
                    message: "\(servers.map(describe).joined(separator: " and ")) are \(servers.count == 2 ? "both" : "all") servers on \(address): "
                        + (sameHost ? "the second bind fails (address in use) and " : "") + "nobody connects, so no records flow",
                    hint: "keep \(describe(first)) as the server and make the other a client (drop server=on, add reconnect=1)")
            case .severalClients(let server, let clients, let address):
                guard context.isCOLOChardev(server) || clients.contains(where: context.isCOLOChardev) else { continue }
                add(.serverSeveralClients, host: server.host, argument: context.chardevLocation(server),
                    message: "server \(describe(server)) on \(address) has \(clients.count) clients (\(clients.map(describe).joined(separator: ", "))): a socket chardev serves one connection, the others are never read",
                    hint: "give each pipe its own port or path")
            }
        }
    }

    /// What goes wrong when a COLO server never gets its client.
    private func effectOfSilence(_ server: ChardevEndpoint) -> String {
        let roles = context.frontends(server)
        if roles.contains(where: { if case .compareSecondaryIn = $0 { true } else { false } }) {
            return "the compare never sees the secondary's packets, so every primary packet waits for the timeout"
        }
        if roles.contains(where: { if case .mirrorOutdev = $0 { true } else { false } }) {
            return "the mirrored client traffic goes nowhere and the secondary guest never sees it"
        }
        return "the records written to it are lost"
    }

    /// L034: a server with wait=on blocks QEMU's start-up until its client connects.
    mutating func checkServerWaits() {
        for role in HostRole.allCases {
            let host = topology[role]
            for (position, chardev) in host.chardevs.enumerated() {
                guard let socket = chardev.socket, socket.server, socket.wait else { continue }
                let endpoint = ChardevEndpoint(host: role, chardev: chardev.id)
                guard context.isCOLOChardev(endpoint), let client = context.pairing.peer(of: endpoint) else { continue }
                if client.host == role {
                    let clientPosition = host.chardevs.firstIndex { $0.id == client.chardev } ?? 0
                    guard clientPosition > position else { continue }
                    add(.serverWaitBlocks, host: role, argument: context.chardevLocation(endpoint), key: "wait",
                        message: "server \(chardev.id) waits for a client (wait is on by default) but its client \(client.chardev) is created later in the same QEMU: start-up blocks forever",
                        hint: "add wait=off to \(chardev.id)")
                } else {
                    add(.serverWaitBlocks, severity: .warning, host: role, argument: context.chardevLocation(endpoint), key: "wait",
                        message: "server \(chardev.id) waits for a client (wait is on by default): the \(role) QEMU stops starting until \(describe(client)) connects",
                        hint: "add wait=off to \(chardev.id) so the \(role) starts on its own")
                }
            }
        }
    }

    /// L047: who must start first, given which clients do not reconnect.
    mutating func checkStartOrder() {
        var primaryFirst: [ChardevLink] = []
        var secondaryFirst: [ChardevLink] = []
        for link in context.pairing.links {
            guard context.isCOLOChardev(link.server) || context.isCOLOChardev(link.client),
                  let client = socket(link.client), !client.reconnects
            else { continue }
            if link.crossesHosts {
                if link.server.host == .primary { primaryFirst.append(link) } else { secondaryFirst.append(link) }
            } else {
                checkCreationOrder(of: link)
            }
        }
        if let link = secondaryFirst.first {
            add(.startOrder, host: link.client.host, argument: context.chardevLocation(link.client), key: "server",
                message: "primary chardev \(link.client.chardev) connects to \(describe(link.server)) without reconnect, so the secondary would have to start first — the reverse of the documented order (L-2)",
                hint: "make the primary's end the server (server=on,wait=off) and the secondary's the client with reconnect=1")
        }
        guard !primaryFirst.isEmpty else { return }
        let names = primaryFirst.map { $0.client.chardev }.joined(separator: ", ")
        let connect = primaryFirst.count == 1 ? "connects" : "connect"
        let first = primaryFirst[0]
        if context.options.startedFirst == .secondary {
            add(.startOrder, host: .secondary, argument: context.chardevLocation(first.client), key: "reconnect",
                message: "the secondary is started first, but \(names) \(connect) to the primary without reconnect: nothing listens yet, QEMU exits with connection refused",
                hint: "start the primary first (L-2), or add reconnect=1 to \(names)")
        } else {
            add(.startOrder, severity: .info, host: .secondary, argument: context.chardevLocation(first.client), key: "reconnect",
                message: "\(names) \(connect) to the primary without reconnect: the secondary must start after the primary listens, and cannot follow a restart of the primary",
                hint: "add reconnect=1 to \(names), as the upstream COLO docs do")
        }
    }

    /// Within one QEMU chardevs open in command-line order: a client before its server is refused.
    private mutating func checkCreationOrder(of link: ChardevLink) {
        let host = topology[link.client.host]
        guard let clientPosition = host.chardevs.firstIndex(where: { $0.id == link.client.chardev }),
              let serverPosition = host.chardevs.firstIndex(where: { $0.id == link.server.chardev }),
              clientPosition < serverPosition
        else { return }
        add(.startOrder, host: link.client.host, argument: context.chardevLocation(link.client),
            message: "client \(link.client.chardev) is created before its server \(link.server.chardev) in the same QEMU: chardevs open in command-line order, so the connect is refused",
            hint: "move -chardev \(link.server.chardev) before -chardev \(link.client.chardev)")
    }

    /// L050: pairing by a non-loopback host:port works, but only if it is the server's address.
    mutating func checkAddresses() {
        for role in HostRole.allCases {
            let links = context.pairing.links.filter { link in
                link.client.host == role && !link.address.isLoopback
                    && { if case .inet = link.address { true } else { false } }()
            }
            guard let first = links.first else { continue }
            let listed = links.map { "\($0.client.chardev)→\($0.address)" }.joined(separator: ", ")
            add(.nonLoopbackAddress, host: role, argument: context.chardevLocation(first.client), key: "host",
                message: "\(role) clients connect by non-loopback addresses (\(listed)); fine for a real deployment, pairing works by host:port",
                hint: "each host= must be an address of the machine running the server")
        }
    }

    private static func addressKey(_ address: SocketAddress) -> String {
        switch address {
        case .inet: "port"
        case .unix: "path"
        case .fd: "fd"
        }
    }

    /// The candidate address nearest to `address`: same host with the nearest port, or the most
    /// similar path.
    private static func closest(to address: SocketAddress, among candidates: [(ChardevEndpoint, SocketAddress)]) -> (ChardevEndpoint, SocketAddress)? {
        var best: ((ChardevEndpoint, SocketAddress), Int)?
        for candidate in candidates {
            let distance: Int
            switch (address, candidate.1) {
            case (.inet(let host, let port), .inet(let otherHost, let otherPort)):
                let portDistance = abs((Int(port) ?? 0) - (Int(otherPort) ?? 0))
                distance = (host == otherHost ? 0 : 1_000_000) + min(portDistance, 999_999)
            case (.unix(let path), .unix(let otherPath)):
                distance = ClosestName.editDistance(path, otherPath)
            default:
                continue
            }
            if distance < (best?.1 ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.0
    }
}
