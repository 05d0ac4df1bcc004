import Fabric

/// One neighbour: resolved (possibly being re-probed), still unresolved, or static.
struct ARPEntry: Sendable, Hashable {
    enum State: Sendable, Hashable {
        case incomplete(requestsSent: Int, nextRequest: VirtualTime)
        case resolved(confirmedAt: VirtualTime, probesSent: Int, nextProbe: VirtualTime?)
        case permanent
    }

    var address: IPv4Address
    var mac: MACAddress?
    var state: State
    /// Whole frames waiting for the address; the destination MAC is patched in on resolution.
    var pending: [[UInt8]] = []

    var deadline: VirtualTime? {
        switch state {
        case .incomplete(_, let next): next
        case .resolved(_, _, let next): next
        case .permanent: nil
        }
    }
}

/// The neighbour cache (RFC 826, with the reachable/probe life cycle of RFC 4861 §7.3 applied to
/// ARP as Linux does), kept as an array in creation order so timer handling is deterministic.
struct ARPTable: Sendable, Hashable {
    var entries: [ARPEntry] = []

    init(staticEntries: [StaticARPEntry]) {
        entries = staticEntries.map { ARPEntry(address: $0.address, mac: $0.mac, state: .permanent) }
    }

    func index(of address: IPv4Address) -> Int? {
        entries.firstIndex { $0.address == address }
    }

    var nextDeadline: VirtualTime? {
        var earliest: VirtualTime?
        for entry in entries {
            if let deadline = entry.deadline, earliest.map({ deadline < $0 }) ?? true { earliest = deadline }
        }
        return earliest
    }
}
