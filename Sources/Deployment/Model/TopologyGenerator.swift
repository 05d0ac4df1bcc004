import Fabric
import Primary

/// Seeded random topologies for property tests: every value the exporter can write, including
/// commas, spaces and quotes in paths, within what the importer models.
struct TopologyGenerator {
    private var random: SplitMix64
    /// Reconnect periods are written in the unit this version accepts (7.2: seconds only,
    /// upstream: milliseconds only), so an export reads back to the same topology.
    let version: QEMUVersion

    init(seed: UInt64, version: QEMUVersion = .default) {
        random = SplitMix64(seed: seed)
        self.version = version
    }

    mutating func topology() -> Topology {
        Topology(primary: host(), secondary: host())
    }

    private mutating func below(_ bound: Int) -> Int {
        Int(random.next() % UInt64(bound))
    }

    private mutating func chance(_ percent: Int) -> Bool {
        below(100) < percent
    }

    private mutating func pick<T>(_ choices: [T]) -> T {
        choices[below(choices.count)]
    }

    private mutating func identifier(_ prefix: String) -> String {
        prefix + pick(["", "-", "_", "."]) + String(below(1000))
    }

    private mutating func path() -> String {
        pick(["/tmp/lockstep", "/tmp/a,b", "/tmp/with space", "/tmp/it's", "/var/run/q\"x"]) + String(below(100))
    }

    private mutating func host() -> HostConfiguration {
        var host = HostConfiguration()
        host.otherOptions = (0..<below(3)).map { _ in
            pick([
                QEMUPassthroughOption(name: "m", value: "2048"),
                QEMUPassthroughOption(name: "smp", value: "2,sockets=1"),
                QEMUPassthroughOption(name: "enable-kvm"),
                QEMUPassthroughOption(name: "S"),
                QEMUPassthroughOption(name: "device", value: "virtio-rng-pci"),
                QEMUPassthroughOption(name: "incoming", value: "tcp:127.0.0.1:9998"),
            ])
        }
        var netdevIDs: [String] = []
        for index in 0..<(1 + below(2)) {
            let id = "hn\(index)"
            netdevIDs.append(id)
            host.netdevs.append(netdev(id))
        }
        for index in 0..<below(3) {
            var nic = NICConfiguration(model: pick(["e1000", "virtio-net-pci", "rtl8139", "e1000e"]))
            if chance(60) { nic.id = "nic\(index)" }
            if chance(90) { nic.netdev = pick(netdevIDs) }
            if chance(70) { nic.mac = "52:54:00:00:00:0\(index)" }
            if chance(30) { nic.options = [QEMUKeyValue("bus", "pci.0"), QEMUKeyValue("addr", "0x\(index + 3)")] }
            host.nics.append(nic)
        }
        var chardevIDs: [String] = []
        for index in 0..<below(6) {
            let id = identifier("c\(index)")
            chardevIDs.append(id)
            host.chardevs.append(chardev(id))
        }
        var objectIDs: [String] = []
        var filterIDs: [String] = []
        for index in 0..<below(7) {
            let id = identifier("o\(index)")
            objectIDs.append(id)
            let object = object(id, netdevs: netdevIDs, chardevs: chardevIDs, filters: filterIDs, objects: objectIDs)
            if object.filter != nil { filterIDs.append(id) }
            host.objects.append(object)
        }
        return host
    }

    private mutating func netdev(_ id: String) -> NetdevConfiguration {
        switch below(4) {
        case 0:
            var netdev = NetdevConfiguration(id: id, kind: .tap, vhost: chance(20))
            if chance(30) { netdev.vnetHeader = chance(50) }
            if chance(20) { netdev.queues = 1 + below(4) }
            netdev.options = [QEMUKeyValue("script", path()), QEMUKeyValue("downscript", "no")]
            if chance(50) { netdev.options.append(QEMUKeyValue("ifname", "tap\(below(9))")) }
            return netdev
        case 1:
            return NetdevConfiguration(id: id, kind: .socket, options: [QEMUKeyValue(pick(["listen", "connect"]), "127.0.0.1:\(20_000 + below(1000))")])
        case 2:
            return NetdevConfiguration(id: id, kind: .user, options: chance(50) ? [QEMUKeyValue("hostfwd", "tcp::2222-:22")] : [])
        default:
            return NetdevConfiguration(id: id, kind: .hubport, options: [QEMUKeyValue("hubid", String(below(3)))])
        }
    }

    private mutating func chardev(_ id: String) -> ChardevConfiguration {
        guard chance(85) else {
            return ChardevConfiguration(id: id, backend: .other(kind: "file", options: [QEMUKeyValue("path", path())]))
        }
        let address: SocketAddress = chance(60)
            ? .inet(host: pick(["127.0.0.1", "localhost", "::1", "3.3.3.3"]), port: String(9000 + below(20)))
            : .unix(path: path())
        var socket: SocketChardevOptions
        if chance(50) {
            socket = .server(address, wait: chance(30))
        } else {
            socket = .client(address, reconnect: chance(50) ? UInt64(1 + below(5)) : nil)
            if chance(10) {
                let milliseconds = UInt64(100 * (1 + below(9)))
                if version == .upstream { socket.reconnectSeconds = nil; socket.reconnectMilliseconds = milliseconds }
            }
            if version == .upstream, let seconds = socket.reconnectSeconds {
                socket.reconnectSeconds = nil
                socket.reconnectMilliseconds = seconds * 1000
            }
        }
        if chance(20) { socket.options = [QEMUKeyValue("nodelay", "on")] }
        return .socket(id, socket)
    }

    private mutating func object(_ id: String, netdevs: [String], chardevs: [String], filters: [String], objects: [String]) -> QEMUObjectConfiguration {
        func chardevOrNil(_ percent: Int) -> String? {
            guard !chardevs.isEmpty, chance(percent) else { return nil }
            return pick(chardevs)
        }
        switch below(10) {
        case 0:
            return .iothread(IOThreadConfiguration(id: id, options: chance(30) ? [QEMUKeyValue("poll-max-ns", "32768")] : []))
        case 1:
            return .other(OtherObjectConfiguration(typeName: "memory-backend-ram", id: id, options: [QEMUKeyValue("size", "1G")]))
        case 2, 3:
            var compare = COLOCompareConfiguration(
                id: id,
                primaryIn: chardevOrNil(90),
                secondaryIn: chardevOrNil(90),
                outdev: chardevOrNil(90),
                iothread: chance(80) ? pick(objects) : nil
            )
            if chance(20) { compare.notifyDev = chardevOrNil(100) }
            if chance(30) { compare.compareTimeout = UInt32(random.next() % UInt64(UInt32.max)) }
            if chance(30) { compare.expiredScanCycle = UInt32(1 + below(5000)) }
            if chance(30) { compare.maxQueueSize = UInt32(1 + below(5000)) }
            compare.vnetHeaderSupport = chance(30)
            return .coloCompare(compare)
        default:
            let kind = pick(FilterKind.allCases)
            var filter = FilterConfiguration(kind: kind, id: id, netdev: chance(95) ? pick(netdevs) : nil)
            filter.queue = pick(FilterQueue.allCases)
            filter.status = chance(15) ? .off : .on
            if chance(25) {
                filter.position = filters.isEmpty || chance(30) ? pick([.head, .tail]) : .filter(pick(filters))
            }
            if chance(20) { filter.insert = .before }
            switch kind {
            case .mirror:
                filter.outdev = chardevOrNil(95)
                filter.vnetHeaderSupport = chance(30)
            case .redirector:
                filter.indev = chardevOrNil(60)
                filter.outdev = chardevOrNil(60)
                filter.vnetHeaderSupport = chance(30)
            case .rewriter:
                filter.vnetHeaderSupport = chance(30)
            case .buffer:
                filter.interval = chance(90) ? UInt32(1 + below(100_000)) : nil
            case .dump:
                filter.file = chance(95) ? path() + ".pcap" : nil
                if chance(30) { filter.maxlen = UInt32(1 + below(65_536)) }
            }
            return .filter(filter)
        }
    }
}
