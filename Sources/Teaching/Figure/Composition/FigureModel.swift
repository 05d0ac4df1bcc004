import Fabric
import Primary
import Deployment

/// A chardev where a filter or compare uses it: drawn as a port on the owner's box.
struct FigurePort: Sendable, Hashable {
    var host: HostRole
    var chardev: String
    var role: ChardevFrontendRole

    /// Unique within a host (a chardev may have several frontends when QEMU would refuse it).
    var name: String { role.description }
    /// As on the command line: `outdev=mirror0`.
    var label: String { "\(role.property)=\(chardev)" }
    var component: ComponentID { .chardev(host, id: chardev) }
}

/// One filter in its netdev's list.
struct FigureFilter: Sendable, Hashable {
    var filter: FilterConfiguration
    /// 1-based place in the list after position/insert (F-1.6).
    var position: Int
    var tx: WalkAction
    var rx: WalkAction
    var ports: [FigurePort]
}

/// A netdev with its filter list (head first) and the NICs that are its peer.
struct FigureChain: Sendable, Hashable {
    var netdev: NetdevConfiguration
    var filters: [FigureFilter]
    /// (index among the host's NICs, NIC).
    var nics: [(index: Int, nic: NICConfiguration)]

    static func == (lhs: FigureChain, rhs: FigureChain) -> Bool {
        lhs.netdev == rhs.netdev && lhs.filters == rhs.filters
            && lhs.nics.map(\.index) == rhs.nics.map(\.index)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(netdev)
        hasher.combine(filters)
        hasher.combine(nics.map(\.index))
    }
}

struct FigureCompare: Sendable, Hashable {
    var compare: COLOCompareObject
    var ports: [FigurePort]
}

/// A line of text below a host's drawing for what has no box (refused filters, unused
/// chardevs, other objects).
struct FigureFootnote: Sendable, Hashable {
    var text: String
    var component: ComponentID?
}

struct FigureHost: Sendable, Hashable {
    var role: HostRole
    var chains: [FigureChain]
    var compares: [FigureCompare]
    /// Every NIC of the host, in command-line order.
    var nics: [NICConfiguration]
    /// NICs without a netdev (index into `nics`).
    var looseNICs: [Int]
    var footnotes: [FigureFootnote]

    var ports: [FigurePort] {
        chains.flatMap { $0.filters.flatMap(\.ports) } + compares.flatMap(\.ports)
    }
}

/// A pipe: two paired socket chardevs, oriented from the end that writes to the end that reads
/// when their frontends say so.
struct FigurePipe: Sendable, Hashable {
    var link: ChardevLink
    var from: ChardevEndpoint
    var to: ChardevEndpoint
    /// False when the frontends do not tell a direction (both read, both write, or one is
    /// missing).
    var directed: Bool

    var component: ComponentID { .link(link) }
}

/// Everything the figure draws, derived from a topology; all collections are in model order.
struct FigureModel: Sendable, Hashable {
    var hosts: [FigureHost]
    var pipes: [FigurePipe]
    var pairingProblems: [ChardevPairingProblem]

    init(topology: Topology) {
        hosts = HostRole.allCases.map { Self.host($0, topology[$0]) }
        let pairing = topology.pairing
        pipes = pairing.links.map { link in
            let serverWrites = topology[link.server.host].frontends(ofChardev: link.server.chardev)
            let clientWrites = topology[link.client.host].frontends(ofChardev: link.client.chardev)
            let serverSide = Self.flow(serverWrites)
            let clientSide = Self.flow(clientWrites)
            if serverSide == .reads && clientSide == .writes {
                return FigurePipe(link: link, from: link.client, to: link.server, directed: true)
            }
            let directed = serverSide == .writes && clientSide == .reads
            return FigurePipe(link: link, from: link.server, to: link.client, directed: directed)
        }
        pairingProblems = pairing.problems
    }

    subscript(role: HostRole) -> FigureHost {
        hosts.first { $0.role == role } ?? FigureHost(role: role, chains: [], compares: [], nics: [], looseNICs: [], footnotes: [])
    }

    /// The port drawn for a chardev endpoint (its first frontend), if any.
    func port(of endpoint: ChardevEndpoint) -> FigurePort? {
        self[endpoint.host].ports.first { $0.chardev == endpoint.chardev }
    }

    private enum Flow { case reads, writes, unknown }

    private static func flow(_ roles: [ChardevFrontendRole]) -> Flow {
        guard let role = roles.first, roles.count == 1 else { return .unknown }
        if role.writes && !role.reads { return .writes }
        if role.reads && !role.writes { return .reads }
        return .unknown
    }

    private static func host(_ role: HostRole, _ host: HostConfiguration) -> FigureHost {
        let chains = host.filterChains
        var figureChains: [FigureChain] = []
        for chain in chains.chains {
            guard let netdev = host.netdev(chain.netdev) else { continue }
            let filters = chain.filters.enumerated().compactMap { offset, id -> FigureFilter? in
                guard let filter = host.filter(id) else { return nil }
                return FigureFilter(
                    filter: filter,
                    position: offset + 1,
                    tx: WalkAction(filter: filter, direction: .tx),
                    rx: WalkAction(filter: filter, direction: .rx),
                    ports: filter.chardevUses.map { FigurePort(host: role, chardev: $0.chardev, role: $0.role) }
                )
            }
            let nics = host.nics.enumerated().filter { $0.element.netdev == netdev.id }.map { (index: $0.offset, nic: $0.element) }
            figureChains.append(FigureChain(netdev: netdev, filters: filters, nics: nics))
        }
        let compares = host.compares.map { compare in
            FigureCompare(compare: compare, ports: compare.chardevUses.map { FigurePort(host: role, chardev: $0.chardev, role: $0.role) })
        }
        let looseNICs = host.nics.indices.filter { index in
            guard let netdev = host.nics[index].netdev else { return true }
            return host.netdev(netdev) == nil
        }
        return FigureHost(
            role: role,
            chains: figureChains,
            compares: compares,
            nics: host.nics,
            looseNICs: looseNICs,
            footnotes: footnotes(role, host, chains: chains)
        )
    }

    /// What the drawing has no box for, so every id still appears in the figure.
    private static func footnotes(_ role: HostRole, _ host: HostConfiguration, chains: FilterChains) -> [FigureFootnote] {
        var notes: [FigureFootnote] = []
        for rejection in chains.rejections {
            guard let filter = host.filter(rejection.filter) else { continue }
            notes.append(FigureFootnote(
                text: "\(filter.id) (\(filter.kind), netdev=\(filter.netdev ?? "none")): in no filter list, QEMU refuses it",
                component: .filter(role, id: filter.id)
            ))
        }
        let used = Set(host.objects.flatMap { $0.chardevUses.map(\.chardev) })
        for chardev in host.chardevs where !used.contains(chardev.id) {
            let what = chardev.socket.map { "\($0.server ? "socket server" : "socket client") \($0.address)" } ?? chardev.backend.kindName
            notes.append(FigureFootnote(text: "chardev \(chardev.id) (\(what)): no filter or compare uses it", component: .chardev(role, id: chardev.id)))
        }
        let threads = Set(host.compares.compactMap(\.iothread))
        for thread in host.iothreads where !threads.contains(thread.id) {
            notes.append(FigureFootnote(text: "iothread \(thread.id): no colo-compare runs in it", component: nil))
        }
        for object in host.objects {
            if case .other(let other) = object {
                notes.append(FigureFootnote(text: "object \(other.id) (\(other.typeName)): not on the network path", component: nil))
            }
        }
        return notes
    }
}
