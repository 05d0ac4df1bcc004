import Deployment

/// What a figure draws of a topology too big to draw: the first netdevs of each host with the
/// first filters of each, the first compares, the chardevs those use and a few more, each id cut
/// to a length a box can show. The rest is counted in `omitted`, so nothing disappears without
/// a word. Drawing is linear in what is kept; bounding is linear in the input, which keeps a
/// figure of the largest command line `lockstep figure` reads (2 MiB) to a few seconds.
struct FigureBounds {
    static let netdevsPerHost = 8
    static let filtersPerNetdev = 16
    static let comparesPerHost = 8
    static let chardevsPerHost = 64
    static let nicsPerHost = 16
    static let otherObjectsPerHost = 16
    /// Findings listed (and marked) under the figure; `lockstep lint` lists them all.
    static let notes = 60
    /// Longest id drawn whole (wrapped over as many box rows as it needs).
    static let idLength = 128

    private(set) var topology: Topology
    /// One line per host with something left out, e.g. "primary: 9992 netdevs not drawn ...".
    private(set) var omitted: [String] = []
    /// Long ids and the names drawn for them.
    private(set) var renamed: [HostRole: [String: String]] = [:]

    init(_ full: Topology) {
        topology = full
        for role in HostRole.allCases {
            topology[role] = bound(role, full[role])
        }
    }

    /// The component as drawn: its id cut as the drawing cuts it, or its host when the
    /// component itself was left out.
    func drawn(_ component: ComponentID) -> ComponentID {
        let role = component.host
        let names = renamed[role] ?? [:]
        func name(_ id: String) -> String { names[id] ?? id }
        let host = topology[role]
        switch component {
        case .netdev(_, let id):
            return host.netdev(name(id)) == nil ? .host(role) : .netdev(role, id: name(id))
        case .filter(_, let id):
            return host.filter(name(id)) == nil ? .host(role) : .filter(role, id: name(id))
        case .compare(_, let id):
            return host.object(name(id))?.coloCompare == nil ? .host(role) : .compare(role, id: name(id))
        case .chardev(_, let id):
            return host.chardev(name(id)) == nil ? .host(role) : .chardev(role, id: name(id))
        case .nic(_, let index):
            return index < host.nics.count ? component : .host(role)
        case .host, .guest, .link:
            return component
        }
    }

    private mutating func bound(_ role: HostRole, _ host: HostConfiguration) -> HostConfiguration {
        var kept = HostConfiguration(otherOptions: host.otherOptions)
        kept.netdevs = Array(host.netdevs.prefix(Self.netdevsPerHost))
        let netdevs = Set(kept.netdevs.map(\.id))
        let nics = host.nics.filter { $0.netdev.map(netdevs.contains) ?? true }
        kept.nics = Array(nics.prefix(Self.nicsPerHost))
        var filtersPerNetdev: [String: Int] = [:]
        var compares = 0
        var others = 0
        var droppedFilters = 0
        var droppedCompares = 0
        var droppedOthers = 0
        for object in host.objects {
            switch object {
            case .filter(let filter):
                let netdev = filter.netdev ?? ""
                let count = filtersPerNetdev[netdev, default: 0]
                // A filter on a netdev that is not drawn is left out; one naming no netdev at all
                // (QEMU refuses it) is kept, so the refusal shows.
                guard count < Self.filtersPerNetdev, netdevs.contains(netdev) || host.netdev(netdev) == nil else {
                    droppedFilters += 1
                    continue
                }
                filtersPerNetdev[netdev] = count + 1
                kept.objects.append(object)
            case .coloCompare:
                guard compares < Self.comparesPerHost else {
                    droppedCompares += 1
                    continue
                }
                compares += 1
                kept.objects.append(object)
            case .iothread, .other:
                guard others < Self.otherObjectsPerHost else {
                    droppedOthers += 1
                    continue
                }
                others += 1
                kept.objects.append(object)
            }
        }
        let used = Set(kept.objects.flatMap { $0.chardevUses.map(\.chardev) })
        var chardevs = host.chardevs.filter { used.contains($0.id) }
        for chardev in host.chardevs where !used.contains(chardev.id) && chardevs.count < Self.chardevsPerHost {
            chardevs.append(chardev)
        }
        let keptChardevs = Set(chardevs.map(\.id))
        kept.chardevs = host.chardevs.filter { keptChardevs.contains($0.id) }
        let counts: [(Int, String)] = [
            (host.netdevs.count - kept.netdevs.count, "netdevs"),
            (host.nics.count - kept.nics.count, "NICs"),
            (droppedFilters, "filters"),
            (droppedCompares, "colo-compares"),
            (host.chardevs.count - kept.chardevs.count, "chardevs"),
            (droppedOthers, "other objects"),
        ]
        let left = counts.filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
        if !left.isEmpty {
            omitted.append("\(role): \(left.joined(separator: ", ")) not drawn (the figure draws at most \(Self.netdevsPerHost) netdevs with \(Self.filtersPerNetdev) filters each, \(Self.comparesPerHost) compares and \(Self.chardevsPerHost) chardevs per host)")
        }
        return shortenIDs(role, kept)
    }

    /// Ids longer than `idLength` become `head…n`, the same everywhere they are named.
    private mutating func shortenIDs(_ role: HostRole, _ host: HostConfiguration) -> HostConfiguration {
        var names: [String: String] = [:]
        func name(_ id: String) -> String {
            guard id.count > Self.idLength else { return id }
            if let known = names[id] { return known }
            let short = "\(id.prefix(32))…\(names.count + 1)"
            names[id] = short
            return short
        }
        var copy = host
        copy.netdevs = host.netdevs.map { netdev in
            var netdev = netdev
            netdev.id = name(netdev.id)
            return netdev
        }
        copy.nics = host.nics.map { nic in
            var nic = nic
            nic.id = nic.id.map(name)
            nic.netdev = nic.netdev.map(name)
            return nic
        }
        copy.chardevs = host.chardevs.map { ChardevConfiguration(id: name($0.id), backend: $0.backend) }
        copy.objects = host.objects.map { object in
            switch object {
            case .filter(var filter):
                filter.id = name(filter.id)
                filter.netdev = filter.netdev.map(name)
                filter.indev = filter.indev.map(name)
                filter.outdev = filter.outdev.map(name)
                if case .filter(let target) = filter.position { filter.position = .filter(name(target)) }
                return .filter(filter)
            case .coloCompare(var compare):
                compare.id = name(compare.id)
                compare.primaryIn = compare.primaryIn.map(name)
                compare.secondaryIn = compare.secondaryIn.map(name)
                compare.outdev = compare.outdev.map(name)
                compare.iothread = compare.iothread.map(name)
                compare.notifyDev = compare.notifyDev.map(name)
                return .coloCompare(compare)
            case .iothread(var thread):
                thread.id = name(thread.id)
                return .iothread(thread)
            case .other(var other):
                other.id = name(other.id)
                return .other(other)
            }
        }
        if !names.isEmpty { renamed[role] = names }
        return copy
    }
}
