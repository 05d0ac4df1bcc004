import Deployment

/// The two real command lines for a topology, and where every socket of the run lives.
///
/// Only the two ends of each host change: the netdev the guest's NIC is peered with (the tap
/// end, where the filters attach) becomes a `dgram` unix socket to Lockstep's host network, and
/// the NIC becomes hub 0 joining that netdev to a second `dgram` netdev whose far side is
/// Lockstep's guest stack. No vCPU runs (`-M none -m 1`): the guests are Lockstep's, and any TCG
/// vCPU deadlocks QEMU 7.2's primary at its first checkpoints (docs/real-qemu.md). Every socket
/// chardev becomes a unix socket, and each client chardev connects to a Lockstep relay that
/// connects on to its server, so Lockstep sees (and can fault) every record on every link. The
/// filters, compares and rewriter are exactly what `lockstep qemu-args` exports, except that each
/// colo-compare is created by QMP `object-add` (same properties) when run time starts: its
/// timeout scan is armed at creation (C-19), and an emulated run creates it at time zero.
struct RealTopologyPlan {
    struct HostPlan {
        let role: HostRole
        let arguments: [String]
        let qmpPath: String
        let stderrPath: String
        /// The netdev the filters sit on (the NIC's peer in the topology).
        let tapNetdev: String
        let tapEnd: (local: String, remote: String)
        let nicEnd: (local: String, remote: String)
    }

    /// One chardev socket with Lockstep in the middle.
    struct RelayPlan {
        let link: ChardevLink
        /// Where the client chardev connects (the relay listens).
        let listenPath: String
        /// Where the server chardev listens (the relay connects on).
        let serverPath: String
        /// The end whose frontend writes records, and the one whose frontend reads them.
        let writer: ChardevEndpoint?
        let reader: ChardevEndpoint?
        let writerFramesVnetField: Bool
        let readerExpectsVnetField: Bool
    }

    /// The id of the netdev QEMU joins to Lockstep's guest (not in any topology the library
    /// writes: QEMU ids starting with "lockstep-" are reserved here).
    static let guestNetdevID = "lockstep-guest"

    let directory: String
    let hosts: [HostPlan]
    let relays: [RelayPlan]
    /// The colo-compares to create by `object-add` once COLO runs, in command-line order.
    let compares: [(role: HostRole, configuration: COLOCompareConfiguration)]
    /// The primary migrates here (Lockstep's migration relay listens).
    let migrationRelayPath: String
    /// The secondary's `-incoming` socket.
    let incomingPath: String

    init(topology: Topology, directory: String, traceEvents: [String]) throws(QEMUBackendError) {
        self.directory = directory
        migrationRelayPath = "\(directory)/mig-relay.sock"
        incomingPath = "\(directory)/mig.sock"
        let pairing = topology.pairing
        var relays: [RelayPlan] = []
        var chardevPaths: [ChardevEndpoint: String] = [:]
        for (index, link) in pairing.links.enumerated() {
            let serverPath = "\(directory)/c\(index)-server.sock"
            let listenPath = "\(directory)/c\(index)-relay.sock"
            chardevPaths[link.server] = serverPath
            chardevPaths[link.client] = listenPath
            let flow = Self.flow(link, topology)
            relays.append(RelayPlan(
                link: link, listenPath: listenPath, serverPath: serverPath, writer: flow.writer, reader: flow.reader,
                writerFramesVnetField: flow.writer.map { Self.writesVnetField(topology[$0.host], chardev: $0.chardev) } ?? false,
                readerExpectsVnetField: flow.reader.map { Self.readsVnetField(topology[$0.host], chardev: $0.chardev) } ?? false))
        }
        self.relays = relays
        compares = HostRole.allCases.flatMap { role in topology[role].compares.map { (role, $0) } }
        var hosts: [HostPlan] = []
        for role in HostRole.allCases {
            hosts.append(try Self.hostPlan(
                role: role, configuration: topology[role], directory: directory, chardevPaths: chardevPaths,
                incoming: role == .secondary ? incomingPath : nil, traceEvents: traceEvents))
        }
        self.hosts = hosts
    }

    subscript(role: HostRole) -> HostPlan { hosts[role == .primary ? 0 : 1] }

    private static func hostPlan(
        role: HostRole, configuration: HostConfiguration, directory: String, chardevPaths: [ChardevEndpoint: String],
        incoming: String?, traceEvents: [String]
    ) throws(QEMUBackendError) -> HostPlan {
        let prefix = role == .primary ? "p" : "s"
        let nics = configuration.nics.filter { $0.netdev != nil }
        guard nics.count == 1, let tapNetdev = nics[0].netdev else {
            throw .unsupportedTopology("\(role): \(nics.count) guest NICs attached to netdevs (the real backend runs exactly one)")
        }
        guard configuration.netdevs.map(\.id) == [tapNetdev] else {
            throw .unsupportedTopology("\(role): netdevs other than the guest NIC's peer '\(tapNetdev)'")
        }
        let tapEnd = (local: "\(directory)/\(prefix)-tap.l", remote: "\(directory)/\(prefix)-tap.q")
        let nicEnd = (local: "\(directory)/\(prefix)-nic.l", remote: "\(directory)/\(prefix)-nic.q")
        var host = configuration
        host.objects = host.objects.filter { $0.coloCompare == nil }
        host.otherOptions = []
        host.nics = []
        host.netdevs = [
            dgram(tapNetdev, end: tapEnd),
            dgram(guestNetdevID, end: nicEnd),
            NetdevConfiguration(id: "lockstep-hub-tap", kind: .hubport, options: [QEMUKeyValue("hubid", "0"), QEMUKeyValue("netdev", tapNetdev)]),
            NetdevConfiguration(id: "lockstep-hub-guest", kind: .hubport, options: [QEMUKeyValue("hubid", "0"), QEMUKeyValue("netdev", guestNetdevID)]),
        ]
        for index in host.chardevs.indices {
            guard case .socket(var socket) = host.chardevs[index].backend else { continue }
            let endpoint = ChardevEndpoint(host: role, chardev: host.chardevs[index].id)
            socket.address = .unix(path: chardevPaths[endpoint] ?? "\(directory)/\(prefix)-\(index)-unpaired.sock")
            // A waiting server would block start-up until its relay connects.
            socket.wait = false
            host.chardevs[index].backend = .socket(socket)
        }
        let qmpPath = "\(directory)/\(prefix).qmp"
        var arguments = ["-name", role.rawValue, "-nodefaults", "-display", "none", "-M", "none", "-m", "1",
                         "-qmp", "unix:\(qmpPath),server=on,wait=off", "-msg", "timestamp=on"]
        for event in traceEvents { arguments += ["-trace", event] }
        arguments += QEMUArgsExporter.argv(for: host)
        if let incoming { arguments += ["-incoming", "unix:\(incoming)"] }
        return HostPlan(
            role: role, arguments: arguments, qmpPath: qmpPath, stderrPath: "\(directory)/\(prefix).stderr",
            tapNetdev: tapNetdev, tapEnd: tapEnd, nicEnd: nicEnd)
    }

    private static func dgram(_ id: String, end: (local: String, remote: String)) -> NetdevConfiguration {
        NetdevConfiguration(id: id, kind: .dgram, options: [
            QEMUKeyValue("local.type", "unix"), QEMUKeyValue("local.path", end.remote),
            QEMUKeyValue("remote.type", "unix"), QEMUKeyValue("remote.path", end.local),
        ])
    }

    /// Which end of a link writes records and which reads them (nil: no frontend does).
    private static func flow(_ link: ChardevLink, _ topology: Topology) -> (writer: ChardevEndpoint?, reader: ChardevEndpoint?) {
        let serverRoles = topology[link.server.host].frontends(ofChardev: link.server.chardev)
        let clientRoles = topology[link.client.host].frontends(ofChardev: link.client.chardev)
        if serverRoles.contains(where: \.writes) || clientRoles.contains(where: \.reads) {
            return (link.server, link.client)
        }
        if clientRoles.contains(where: \.writes) || serverRoles.contains(where: \.reads) {
            return (link.client, link.server)
        }
        return (nil, nil)
    }

    /// Whether the frontend writing into `chardev` adds the V field (W-1).
    static func writesVnetField(_ host: HostConfiguration, chardev: String) -> Bool {
        for role in host.frontends(ofChardev: chardev) where role.writes {
            switch role {
            case .mirrorOutdev(let id), .redirectorOutdev(let id): return host.filter(id)?.vnetHeaderSupport ?? false
            case .compareOutdev(let id): return host.object(id)?.coloCompare?.vnetHeaderSupport ?? false
            default: continue
            }
        }
        return false
    }

    /// Whether the frontend reading `chardev` expects the V field (W-1).
    static func readsVnetField(_ host: HostConfiguration, chardev: String) -> Bool {
        for role in host.frontends(ofChardev: chardev) where role.reads {
            switch role {
            case .redirectorIndev(let id): return host.filter(id)?.vnetHeaderSupport ?? false
            case .comparePrimaryIn(let id), .compareSecondaryIn(let id), .compareNotifyDev(let id):
                return host.object(id)?.coloCompare?.vnetHeaderSupport ?? false
            default: continue
            }
        }
        return false
    }

    /// `object-add` arguments creating `compare` with the properties it was written with.
    static func objectAdd(_ compare: COLOCompareConfiguration) -> [String: Any] {
        var arguments: [String: Any] = ["qom-type": "colo-compare", "id": compare.id]
        let links: [(String, String?)] = [("primary_in", compare.primaryIn), ("secondary_in", compare.secondaryIn),
                                          ("outdev", compare.outdev), ("iothread", compare.iothread), ("notify_dev", compare.notifyDev)]
        for (key, value) in links { if let value { arguments[key] = value } }
        let numbers: [(String, UInt32?)] = [("compare_timeout", compare.compareTimeout), ("expired_scan_cycle", compare.expiredScanCycle),
                                            ("max_queue_size", compare.maxQueueSize)]
        for (key, value) in numbers { if let value { arguments[key] = value } }
        if compare.vnetHeaderSupport { arguments["vnet_hdr_support"] = true }
        return arguments
    }
}
