import Fabric

/// The stack's link and network layer: addressing, IPv4 identification, ARP resolution and the
/// outbox of frames waiting to be collected. Transport layers send through it.
struct InterfaceLayer: Sendable {
    var configuration: StackConfiguration
    var arp: ARPTable
    var nextIdentification: UInt16
    var outbox: [Frame] = []
    var counters = StackCounters()
    /// Something an application may care about happened (data, connection, close, datagram).
    var applicationEvents = false
    /// The TCP sockets those events concern, in the order they first had one (no repeats in a
    /// row), so applications can step only the sockets that changed.
    var eventSockets: [SocketHandle] = []
    /// The last time the stack was given; every action happens at this instant.
    var now: VirtualTime = .zero
    var points: StackChoicePoints

    init(configuration: StackConfiguration) {
        self.configuration = configuration
        arp = ARPTable(staticEntries: configuration.arp.staticEntries)
        if case .sequential(let start) = configuration.ipIdentification {
            nextIdentification = start
        } else {
            nextIdentification = 0
        }
        points = StackChoicePoints(name: configuration.name)
    }

    var address: IPv4Address { configuration.address }

    /// Something happened on TCP socket `handle` that its application may care about.
    mutating func noteApplicationEvent(_ handle: SocketHandle) {
        applicationEvents = true
        if eventSockets.last != handle { eventSockets.append(handle) }
    }

    func isOnLink(_ destination: IPv4Address) -> Bool {
        let prefix = configuration.prefixLength
        guard prefix > 0 else { return true }
        let mask: UInt32 = prefix >= 32 ? .max : ~(UInt32.max >> UInt32(prefix))
        return destination.value & mask == configuration.address.value & mask
    }

    func nextHop(for destination: IPv4Address) -> IPv4Address {
        if let gateway = configuration.gateway, !isOnLink(destination) { return gateway }
        return destination
    }

    /// Addressing for one datagram to `destination`: draws the identification and looks up the
    /// next hop's MAC (zero while unresolved; ``transmit`` then queues the frame).
    mutating func addressing(to destination: IPv4Address, choices: any Chooser) -> DatagramAddressing {
        let identification: UInt16
        switch configuration.ipIdentification {
        case .sequential:
            identification = nextIdentification
            nextIdentification &+= 1
        case .random:
            identification = UInt16(choices.draw(points.ipIdentification, 0...UInt64(UInt16.max)))
        case .zeroWithDontFragment:
            identification = 0
        }
        let hop = nextHop(for: destination)
        let mac = arp.index(of: hop).flatMap { arp.entries[$0].mac } ?? .zero
        return DatagramAddressing(
            vnetHeaderLength: configuration.vnetHeaderLength, sourceMAC: configuration.mac, destinationMAC: mac,
            source: configuration.address.value, destination: destination.value,
            identification: identification, dontFragment: true, ttl: configuration.ttl)
    }

    /// Sends a frame built with ``addressing(to:choices:)``, or queues it until ARP resolves.
    mutating func transmit(_ bytes: [UInt8], to destination: IPv4Address) {
        let hop = nextHop(for: destination)
        if let index = arp.index(of: hop) {
            switch arp.entries[index].state {
            case .permanent:
                emit(bytes)
            case .resolved(let confirmedAt, let probes, let nextProbe):
                emit(bytes)
                if nextProbe == nil, now - confirmedAt >= configuration.arp.reachableTime {
                    // Stale: keep using the entry, but confirm it with a unicast request.
                    sendARPRequest(for: hop, unicastTo: arp.entries[index].mac)
                    arp.entries[index].state = .resolved(
                        confirmedAt: confirmedAt, probesSent: probes + 1, nextProbe: now + configuration.arp.retransmitInterval)
                }
            case .incomplete:
                enqueue(bytes, at: index)
            }
        } else {
            arp.entries.append(ARPEntry(
                address: hop, mac: nil,
                state: .incomplete(requestsSent: 1, nextRequest: now + configuration.arp.retransmitInterval)))
            enqueue(bytes, at: arp.entries.count - 1)
            sendARPRequest(for: hop, unicastTo: nil)
        }
    }

    private mutating func enqueue(_ bytes: [UInt8], at index: Int) {
        arp.entries[index].pending.append(bytes)
        if arp.entries[index].pending.count > configuration.arp.queueLimit {
            arp.entries[index].pending.removeFirst()
            counters[drop: .arpQueueOverflow] += 1
        }
    }

    mutating func emit(_ bytes: [UInt8]) {
        outbox.append(Frame(bytes, vnetHeaderLength: UInt32(configuration.vnetHeaderLength)))
        counters.framesSent += 1
    }

    mutating func sendARPRequest(for target: IPv4Address, unicastTo mac: MACAddress?) {
        emit(DatagramWriter.arp(
            vnetHeaderLength: configuration.vnetHeaderLength, ethernetDestination: mac ?? .broadcast,
            operation: ARPPacket.request, senderMAC: configuration.mac, senderAddress: configuration.address,
            targetMAC: .zero, targetAddress: target))
        counters.arpRequestsSent += 1
    }

    /// Records that `address` is at `mac`; sends what was waiting for it.
    mutating func learn(_ address: IPv4Address, at mac: MACAddress, createIfMissing: Bool) {
        let index: Int
        if let found = arp.index(of: address) {
            index = found
        } else {
            guard createIfMissing else { return }
            arp.entries.append(ARPEntry(address: address, mac: mac, state: .resolved(confirmedAt: now, probesSent: 0, nextProbe: nil)))
            return
        }
        if case .permanent = arp.entries[index].state { return }
        arp.entries[index].mac = mac
        arp.entries[index].state = .resolved(confirmedAt: now, probesSent: 0, nextProbe: nil)
        let waiting = arp.entries[index].pending
        arp.entries[index].pending = []
        let offset = configuration.vnetHeaderLength
        for var bytes in waiting {
            for i in 0..<6 { bytes[offset + i] = mac.octets[i] }
            emit(bytes)
        }
    }

    /// Retries, probes and expiry of neighbour entries due at `now`.
    mutating func runARPTimers() {
        var index = 0
        while index < arp.entries.count {
            let entry = arp.entries[index]
            switch entry.state {
            case .incomplete(let sent, let next) where next <= now:
                if sent >= configuration.arp.maximumRequests {
                    counters[drop: .arpUnresolved] += entry.pending.count
                    arp.entries.remove(at: index)
                    continue
                }
                sendARPRequest(for: entry.address, unicastTo: nil)
                arp.entries[index].state = .incomplete(requestsSent: sent + 1, nextRequest: now + configuration.arp.retransmitInterval)
            case .resolved(let confirmed, let probes, let next?) where next <= now:
                if probes >= configuration.arp.maximumRequests {
                    arp.entries.remove(at: index)
                    continue
                }
                sendARPRequest(for: entry.address, unicastTo: entry.mac)
                arp.entries[index].state = .resolved(
                    confirmedAt: confirmed, probesSent: probes + 1, nextProbe: now + configuration.arp.retransmitInterval)
            default:
                break
            }
            index += 1
        }
    }
}

/// Choice points of one stack, built once so hot paths do not format labels.
struct StackChoicePoints: Sendable, Hashable {
    let initialSequenceNumber: ChoicePoint
    let ipIdentification: ChoicePoint
    let timestampOffset: ChoicePoint
    let ephemeralPort: ChoicePoint

    init(name: String) {
        initialSequenceNumber = ChoicePoint(.initialSequenceNumber, "\(name) isn")
        ipIdentification = ChoicePoint(.ipIdentification, "\(name) ip-id")
        timestampOffset = ChoicePoint(.other, "\(name) ts-offset")
        ephemeralPort = ChoicePoint(.other, "\(name) ephemeral-port")
    }
}
