extension DesignChecks {
    /// L034: a server with wait=on blocks QEMU's start-up until a client connects.
    mutating func checkServerWaits() {
        for role in HostRole.allCases {
            let host = topology[role]
            for (position, chardev) in host.chardevs.enumerated() {
                guard let socket = chardev.socket, socket.server, socket.wait else { continue }
                let endpoint = ChardevEndpoint(host: role, chardev: chardev.id)
                guard context.isCOLOChardev(endpoint) else { continue }
                guard let client = context.pairing.peer(of: endpoint) else {
                    add(.serverWaitBlocks, host: role, argument: context.chardevLocation(endpoint), key: "wait",
                        message: "server \(chardev.id) waits for a client (wait is on by default) that no chardev of either host provides: start-up blocks forever",
                        hint: "add wait=off to \(chardev.id)",
                        claim: QEMUClaim(.hung, .exact("QEMU waiting for connection on:"), version: version))
                    continue
                }
                if client.host == role {
                    let clientPosition = context.index(role).position(ofChardev: client.chardev) ?? 0
                    guard clientPosition > position else { continue }
                    add(.serverWaitBlocks, host: role, argument: context.chardevLocation(endpoint), key: "wait",
                        message: "server \(chardev.id) waits for a client (wait is on by default) but its client \(client.chardev) is created later in the same QEMU: start-up blocks forever",
                        hint: "add wait=off to \(chardev.id)",
                        claim: QEMUClaim(.hung, .exact("QEMU waiting for connection on:"), version: version))
                } else {
                    add(.serverWaitBlocks, severity: .warning, host: role, argument: context.chardevLocation(endpoint), key: "wait",
                        message: "server \(chardev.id) waits for a client (wait is on by default): the \(role) QEMU stops starting until \(describe(client)) connects",
                        hint: "add wait=off to \(chardev.id) so the \(role) starts on its own",
                        claim: QEMUClaim(.blocked, .exact("QEMU waiting for connection on:"), version: version))
                }
            }
        }
    }

    /// L047: who must start first, given which clients do not reconnect.
    mutating func checkStartOrder() {
        var primaryFirst: [ChardevLink] = []
        var secondaryFirst: [ChardevLink] = []
        for link in context.pairing.links {
            guard let client = socket(link.client), !client.reconnects else { continue }
            if link.crossesHosts {
                if link.server.host == .primary { primaryFirst.append(link) } else { secondaryFirst.append(link) }
            } else {
                checkCreationOrder(of: link)
            }
        }
        if let link = secondaryFirst.first {
            let names = secondaryFirst.map(\.client.chardev).joined(separator: ", ")
            if context.options.startedFirst == .primary {
                add(.startOrder, host: link.client.host, argument: context.chardevLocation(link.client), key: "server",
                    message: "primary chardev \(names) connect\(secondaryFirst.count == 1 ? "s" : "") to the secondary without reconnect, so the secondary would have to start first — the reverse of the documented order (L-2); started primary first, QEMU exits with connection refused",
                    hint: "make the primary's end the server (server=on,wait=off) and the secondary's the client with reconnect=1",
                    claim: connectFailure(of: link.client, to: link.address))
            } else {
                add(.startOrder, severity: .info, host: link.client.host, argument: context.chardevLocation(link.client), key: "server",
                    message: "primary chardev \(names) connect\(secondaryFirst.count == 1 ? "s" : "") to the secondary without reconnect: the secondary must start first (as --started-first says), against the documented order (L-2)",
                    hint: "make the primary's end the server (server=on,wait=off) and the secondary's the client with reconnect=1")
            }
        }
        guard !primaryFirst.isEmpty else { return }
        let names = primaryFirst.map { $0.client.chardev }.joined(separator: ", ")
        let connect = primaryFirst.count == 1 ? "connects" : "connect"
        let first = primaryFirst[0]
        if context.options.startedFirst == .secondary {
            add(.startOrder, host: .secondary, argument: context.chardevLocation(first.client), key: "reconnect",
                message: "the secondary is started first, but \(names) \(connect) to the primary without reconnect: nothing listens yet, QEMU exits with connection refused",
                hint: "start the primary first (L-2), or add reconnect=1 to \(names)",
                claim: connectFailure(of: first.client, to: first.address))
        } else {
            add(.startOrder, severity: .info, host: .secondary, argument: context.chardevLocation(first.client), key: "reconnect",
                message: "\(names) \(connect) to the primary without reconnect: the secondary must start after the primary listens, and cannot follow a restart of the primary",
                hint: "add reconnect=1 to \(names), as the upstream COLO docs do")
        }
    }

    /// Within one QEMU chardevs open in command-line order: a client before its server is refused.
    private mutating func checkCreationOrder(of link: ChardevLink) {
        let host = context.index(link.client.host)
        guard let clientPosition = host.position(ofChardev: link.client.chardev),
              let serverPosition = host.position(ofChardev: link.server.chardev),
              clientPosition < serverPosition
        else { return }
        add(.startOrder, host: link.client.host, argument: context.chardevLocation(link.client),
            message: "client \(link.client.chardev) is created before its server \(link.server.chardev) in the same QEMU: chardevs open in command-line order, so the connect fails (\(Self.connectError(link.address)))",
            hint: "move -chardev \(link.server.chardev) before -chardev \(link.client.chardev)",
            claim: connectFailure(of: link.client, to: link.address))
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
}
