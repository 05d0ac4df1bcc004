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
                        hint: "make the chardev on the side that starts first a server (server=on,wait=off)",
                        claim: connectFailure(of: client, to: address))
                    for other in sameAddress.dropFirst() where other.host != client.host || other.chardev != client.chardev {
                        if let claim = connectFailure(of: other, to: address), claim.outcome == .refused {
                            add(.noServer, host: other.host, argument: context.chardevLocation(other), key: "server",
                                message: "\(describe(other)) connects to \(address), where nobody listens (see \(describe(client)))",
                                hint: "make one end a server", claim: claim)
                        }
                    }
                    continue
                }
                guard context.isCOLOChardev(client) else {
                    // Off the COLO path this is no design problem, but QEMU still exits.
                    if let claim = connectFailure(of: client, to: address), claim.outcome == .refused {
                        add(.chardevUnpaired, severity: .warning, host: client.host, argument: context.chardevLocation(client), key: Self.addressKey(address),
                            message: "client chardev \(describe(client)) (not on the COLO path) connects to \(address), where no server listens: QEMU fails with \(Self.connectError(address))",
                            hint: "start its server first, or add reconnect=1", claim: claim)
                    }
                    continue
                }
                let nearMiss = Self.closest(to: address, among: unpairedServers)
                let retries = socket(client)?.reconnects ?? false
                add(.chardevUnpaired, host: client.host, argument: context.chardevLocation(client), key: Self.addressKey(address),
                    message: "client chardev \(describe(client)) connects to \(address), where no server listens: "
                        + (retries ? "it retries for ever and never connects" : "QEMU fails with \(Self.connectError(address))"),
                    hint: nearMiss.map { "the unpaired server \(describe($0.0)) listens on \($0.1): use the same \(Self.addressKey(address)) on both ends" }
                        ?? "add a server chardev on \(address) on the other host, or correct the address",
                    claim: connectFailure(of: client, to: address))
            case .serverWithoutClient(let server, let address):
                guard context.isCOLOChardev(server) else { continue }
                let nearMiss = Self.closest(to: address, among: unpairedClients)
                add(.chardevUnpaired, host: server.host, argument: context.chardevLocation(server), key: Self.addressKey(address),
                    message: "server chardev \(describe(server)) listens on \(address) but no client connects: \(effectOfSilence(server))",
                    hint: nearMiss.map { "the unpaired client \(describe($0.0)) connects to \($0.1): use the same \(Self.addressKey(address)) on both ends" }
                        ?? "add a client chardev for \(address) where the peer filter is")
            case .severalServers(let servers, let address):
                guard servers.contains(where: context.isCOLOChardev), let first = servers.first else { continue }
                reportSeveralServers(servers, first: first, address: address)
            case .severalClients(let server, let clients, let address):
                guard context.isCOLOChardev(server) || clients.contains(where: context.isCOLOChardev) else { continue }
                add(.serverSeveralClients, host: server.host, argument: context.chardevLocation(server),
                    message: "server \(describe(server)) on \(address) has \(clients.count) clients (\(clients.map(describe).joined(separator: ", "))): a socket chardev serves one connection, the others are never read",
                    hint: "give each pipe its own port or path")
            case .handshakeMismatch(let server, let client, let address):
                guard context.isCOLOChardev(server) || context.isCOLOChardev(client) else { continue }
                add(.chardevUnpaired, host: server.host, argument: context.chardevLocation(server), key: "websocket",
                    message: "server \(describe(server)) on \(address) has websocket=on but its client \(describe(client)) speaks plain TCP: the connection opens, the websocket handshake never comes, no records flow",
                    hint: "drop websocket=on (QEMU's chardev clients cannot speak websocket)")
            }
        }
    }

    /// Two or more servers on one address. TCP: whichever binds second is refused — in one
    /// QEMU the later chardev, across hosts the host started second. Unix: each bind unlinks
    /// the path first, so both start and the later server takes the path over.
    private mutating func reportSeveralServers(_ servers: [ChardevEndpoint], first: ChardevEndpoint, address: SocketAddress) {
        let names = servers.map(describe).joined(separator: " and ")
        let hint = "keep \(describe(first)) as the server and make the other a client (drop server=on, add reconnect=1)"
        if case .unix = address {
            add(.bothServers, host: servers.last?.host, argument: servers.last.flatMap { context.chardevLocation($0) }, key: "server",
                message: "\(names) are \(servers.count == 2 ? "both" : "all") servers on \(address): QEMU unlinks the path before each bind, so the last one takes it over and the others never get a client",
                hint: hint)
            return
        }
        let startedSecond = context.options.startedFirst.other
        // In one QEMU the later chardev loses; across hosts, the host started second.
        let sameHost = servers.indices.first { index in servers[..<index].contains { $0.host == servers[index].host } }
        let loser = sameHost.map { servers[$0] } ?? servers.first { $0.host == startedSecond } ?? first
        add(.bothServers, host: loser.host, argument: context.chardevLocation(loser), key: "server",
            message: "\(names) are \(servers.count == 2 ? "both" : "all") servers on \(address): "
                + (sameHost != nil ? "the later bind in the \(loser.host) QEMU fails" : "the \(loser.host) QEMU, started second, cannot bind it")
                + " and QEMU exits with 'Address already in use'",
            hint: hint,
            claim: QEMUClaim(.refused, .exact("Failed to find an available port: Address already in use"), version: version))
    }

    /// What QEMU says when a client's connect finds nobody listening.
    static func connectError(_ address: SocketAddress) -> String {
        switch address {
        case .unix: "'No such file or directory' (or 'Connection refused' over a stale socket file)"
        default: "connection refused"
        }
    }

    /// The claim for a client whose connect fails: refused unless it reconnects.
    func connectFailure(of client: ChardevEndpoint, to address: SocketAddress) -> QEMUClaim? {
        guard let socket = socket(client) else { return nil }
        guard !socket.reconnects else { return .started(version: version) }
        switch address {
        case .inet(let host, let port) where SocketAddress.resolvesWithoutDNS(host):
            return QEMUClaim(.refused, .exact("Failed to connect to '\(host):\(port)': Connection refused"), version: version)
        case .inet(let host, let port):
            // A name: what it resolves to is the deployment's business. It may not resolve, or
            // lead where nothing listens, or to a server the lint paired under another name.
            let quoted = Self.regexQuoted("\(host):\(port)")
            return QEMUClaim(.depends, .pattern("(Failed to connect to '\(quoted)'|address resolution failed for \(quoted))"), version: version)
        case .unix:
            return QEMUClaim(.refused, .pattern("Failed to connect to '.*': (No such file or directory|Connection refused)"), version: version)
        case .fd:
            return nil
        }
    }

    /// `text` with the regular expression metacharacters escaped.
    static func regexQuoted(_ text: String) -> String {
        var quoted = ""
        for character in text {
            if "\\^$.|?*+()[]{}".contains(character) { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted
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

    static func addressKey(_ address: SocketAddress) -> String {
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
            case (.inet(let host, _), .inet(let otherHost, _)):
                let portDistance = abs((address.portNumber ?? 0) - (candidate.1.portNumber ?? 0))
                distance = (host == otherHost ? 0 : 1_000_000) + min(portDistance, 999_999)
            case (.unix(let path), .unix(let otherPath)):
                distance = ClosestName.editDistance(Excerpt.short(path, limit: 256), Excerpt.short(otherPath, limit: 256))
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
