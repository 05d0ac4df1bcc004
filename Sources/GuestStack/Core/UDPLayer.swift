import Fabric

/// A datagram as an application receives it.
public struct UDPDatagram: Sendable, Hashable {
    public var source: IPv4Address
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var payload: [UInt8]
    public var receivedAt: VirtualTime
}

struct UDPSocket: Sendable, Hashable {
    let handle: SocketHandle
    let port: UInt16
    var queue: [UDPDatagram] = []
}

struct UDPLayer: Sendable {
    var sockets: [UDPSocket] = []
    /// Datagrams held per socket before new ones are dropped, like a full socket buffer.
    var queueLimit = 1_024
}

/// UDP (RFC 768): bound sockets, validation, delivery, and port unreachable for unbound ports.
extension NetworkStack {
    mutating func receiveUDP(_ bytes: [UInt8], ipOffset: Int, transport: Int, length: Int, source: IPv4Address,
                             destination: IPv4Address, _ choices: any Chooser) {
        guard length >= 8 else {
            interface.counters[drop: .truncatedTransport] += 1
            return
        }
        let declared = Int(bytes.be16(at: transport + 4))
        guard declared >= 8, declared <= length else {
            interface.counters[drop: .badUDPLength] += 1
            return
        }
        if bytes.be16(at: transport + 6) != 0 {
            let valid = bytes.withUnsafeBytes { raw in
                let pseudo = InternetChecksum.pseudoHeader(
                    source: source.value, destination: destination.value, protocol: IPProtocolNumber.udp, length: declared)
                return InternetChecksum.add(pseudo, InternetChecksum.sum(raw.baseAddress! + transport, count: declared)) == 0xffff
            }
            guard valid else {
                interface.counters[drop: .badUDPChecksum] += 1
                return
            }
        }
        let port = bytes.be16(at: transport + 2)
        guard let index = udp.sockets.firstIndex(where: { $0.port == port }) else {
            interface.counters[drop: .udpNoSocket] += 1
            if configuration.udpPortUnreachable && destination == interface.address {
                // RFC 792: the original IP header plus the first 8 bytes of its payload.
                let quoted = Array(bytes[ipOffset..<min(bytes.count, transport + 8)])
                let addressing = interface.addressing(to: source, choices: choices)
                interface.transmit(DatagramWriter.icmp(addressing, type: 3, code: 3, restOfHeader: 0, body: quoted), to: source)
            }
            return
        }
        guard udp.sockets[index].queue.count < udp.queueLimit else {
            interface.counters[drop: .udpQueueFull] += 1
            return
        }
        udp.sockets[index].queue.append(UDPDatagram(
            source: source, sourcePort: bytes.be16(at: transport), destinationPort: port,
            payload: Array(bytes[transport + 8..<transport + declared]), receivedAt: interface.now))
        interface.counters.udpDatagramsReceived += 1
        interface.applicationEvents = true
    }

    /// Binds a UDP socket to `port` (an ephemeral one when nil).
    public mutating func bindUDP(port: UInt16? = nil, choices: any Chooser) throws(StackSocketError) -> SocketHandle {
        let chosen: UInt16
        if let port {
            guard !udp.sockets.contains(where: { $0.port == port }) else { throw .portInUse(port) }
            chosen = port
        } else {
            var candidate: UInt16?
            for _ in 0..<16_384 {
                let next: UInt16
                switch configuration.ephemeralPorts {
                case .sequential(let first):
                    next = nextEphemeralPort
                    nextEphemeralPort = nextEphemeralPort == UInt16.max ? first : nextEphemeralPort + 1
                case .random:
                    next = UInt16(choices.draw(interface.points.ephemeralPort, 49_152...UInt64(UInt16.max)))
                }
                if !udp.sockets.contains(where: { $0.port == next }) {
                    candidate = next
                    break
                }
            }
            guard let candidate else { throw .noEphemeralPort }
            chosen = candidate
        }
        let handle = newHandle()
        udp.sockets.append(UDPSocket(handle: handle, port: chosen))
        return handle
    }

    public func udpPort(of handle: SocketHandle) -> UInt16? {
        udp.sockets.first { $0.handle == handle }?.port
    }

    public mutating func sendUDP(_ payload: [UInt8], from handle: SocketHandle, to destination: IPv4Address,
                                 port: UInt16, choices: any Chooser) throws(StackSocketError) {
        guard let socket = udp.sockets.first(where: { $0.handle == handle }) else { throw .noSuchSocket(handle) }
        let addressing = interface.addressing(to: destination, choices: choices)
        interface.transmit(DatagramWriter.udp(addressing, sourcePort: socket.port, destinationPort: port, payload: payload),
                           to: destination)
        interface.counters.udpDatagramsSent += 1
    }

    /// The oldest datagram waiting on `handle`, removed.
    public mutating func receiveUDP(on handle: SocketHandle) -> UDPDatagram? {
        guard let index = udp.sockets.firstIndex(where: { $0.handle == handle }),
              !udp.sockets[index].queue.isEmpty else { return nil }
        return udp.sockets[index].queue.removeFirst()
    }

    public mutating func closeUDP(_ handle: SocketHandle) {
        udp.sockets.removeAll { $0.handle == handle }
    }
}
