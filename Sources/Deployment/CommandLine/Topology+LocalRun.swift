extension Topology {
    /// A variant that both QEMUs can run on one machine without privileges or network: every
    /// netdev becomes a `hubport` (no tap, no vhost), guest NICs are dropped (so `-M none`
    /// suffices), and every socket address becomes a unix socket in `socketDirectory`, one per
    /// distinct address so server ↔ client pairs are kept. Used to check exports against real
    /// QEMU.
    public func locallyRunnable(socketDirectory: String) -> Topology {
        var addresses: [SocketAddress] = []
        func path(for address: SocketAddress) -> SocketAddress {
            if let known = addresses.firstIndex(of: address) {
                return .unix(path: "\(socketDirectory)/pipe\(known).sock")
            }
            addresses.append(address)
            return .unix(path: "\(socketDirectory)/pipe\(addresses.count - 1).sock")
        }
        var copy = self
        for role in HostRole.allCases {
            var host = copy[role]
            host.nics = []
            host.netdevs = host.netdevs.enumerated().map { index, netdev in
                NetdevConfiguration(id: netdev.id, kind: .hubport, options: [QEMUKeyValue("hubid", String(index))])
            }
            for index in host.chardevs.indices {
                guard case .socket(var socket) = host.chardevs[index].backend else { continue }
                socket.address = path(for: socket.address)
                host.chardevs[index].backend = .socket(socket)
            }
            copy[role] = host
        }
        return copy
    }
}

extension QEMUArgsExporter {
    /// One host's options as argv words (no shell quoting), for spawning QEMU directly.
    public static func argv(for host: HostConfiguration, version: QEMUVersion = .default) -> [String] {
        var words: [String] = []
        for option in host.otherOptions {
            words.append("-\(option.name)")
            if let value = option.value { words.append(value) }
        }
        words += host.netdevs.flatMap { ["-netdev", netdevValue($0)] }
        words += host.nics.flatMap { ["-device", nicValue($0)] }
        words += host.chardevs.flatMap { ["-chardev", chardevValue($0, version: version)] }
        words += host.objects.flatMap { ["-object", objectValue($0)] }
        return words
    }
}
