import Fabric

/// Inbound frames: Ethernet, ARP, IPv4 validation and dispatch to TCP, UDP and ICMP.
/// Anything malformed is dropped with a counted ``StackDropReason``; nothing here traps.
extension NetworkStack {
    public mutating func receive(_ frame: Frame, at time: VirtualTime, choices: any Chooser) {
        setClock(time)
        interface.counters.framesReceived += 1
        let bytes = frame.bytes
        let start = Int(min(frame.vnetHeaderLength, UInt32(Int32.max)))
        guard bytes.count >= start + 14 else {
            interface.counters[drop: .runtFrame] += 1
            return
        }
        guard isForUs(bytes, at: start) else {
            interface.counters[drop: .notForUs] += 1
            return
        }
        switch bytes.be16(at: start + 12) {
        case EtherType.arp: receiveARP(bytes, at: start + 14)
        case EtherType.ipv4: receiveIPv4(bytes, at: start + 14, choices)
        default: interface.counters[drop: .unknownEtherType] += 1
        }
    }

    private func isForUs(_ bytes: [UInt8], at offset: Int) -> Bool {
        let ours = interface.configuration.mac.octets
        var unicast = true
        var broadcast = true
        for i in 0..<6 {
            let byte = bytes[offset + i]
            if byte != ours[i] { unicast = false }
            if byte != 0xff { broadcast = false }
        }
        return unicast || broadcast
    }

    private mutating func receiveARP(_ bytes: [UInt8], at offset: Int) {
        guard let packet = ARPPacket(bytes, at: offset) else {
            interface.counters[drop: .malformedARP] += 1
            return
        }
        let forUs = packet.targetProtocol == interface.address
        // RFC 826: update an existing entry from any ARP packet; create one only when targeted.
        interface.learn(packet.senderProtocol, at: packet.senderHardware, createIfMissing: forUs)
        if packet.operation == ARPPacket.request && forUs {
            interface.emit(DatagramWriter.arp(
                vnetHeaderLength: interface.configuration.vnetHeaderLength, ethernetDestination: packet.senderHardware,
                operation: ARPPacket.reply, senderMAC: interface.configuration.mac, senderAddress: interface.address,
                targetMAC: packet.senderHardware, targetAddress: packet.senderProtocol))
            interface.counters.arpRepliesSent += 1
        }
    }

    private mutating func receiveIPv4(_ bytes: [UInt8], at offset: Int, _ choices: any Chooser) {
        guard bytes.count >= offset + 20 else {
            interface.counters[drop: .malformedIPv4] += 1
            return
        }
        let headerLength = Int(bytes[offset] & 0x0f) * 4
        let totalLength = Int(bytes.be16(at: offset + 2))
        guard bytes[offset] >> 4 == 4, headerLength >= 20, totalLength >= headerLength,
              bytes.count >= offset + totalLength else {
            interface.counters[drop: .malformedIPv4] += 1
            return
        }
        let checksumOK = bytes.withUnsafeBytes { InternetChecksum.sum($0.baseAddress! + offset, count: headerLength) == 0xffff }
        guard checksumOK else {
            interface.counters[drop: .badIPv4Checksum] += 1
            return
        }
        let destination = IPv4Address(bytes.be32(at: offset + 16))
        guard destination == interface.address || destination == IPv4Address(0xffff_ffff) else {
            interface.counters[drop: .notForUs] += 1
            return
        }
        guard bytes.be16(at: offset + 6) & 0x3fff == 0 else {
            interface.counters[drop: .ipFragment] += 1
            return
        }
        let source = IPv4Address(bytes.be32(at: offset + 12))
        let transport = offset + headerLength
        let length = totalLength - headerLength
        switch bytes[offset + 9] {
        case IPProtocolNumber.tcp:
            switch InboundTCPSegment.parse(bytes, start: transport, length: length, source: source, destination: destination) {
            case .success(let segment): receiveTCP(segment, bytes, choices)
            case .failure(let reason): interface.counters[drop: reason] += 1
            }
        case IPProtocolNumber.udp:
            receiveUDP(bytes, ipOffset: offset, transport: transport, length: length, source: source, destination: destination, choices)
        case IPProtocolNumber.icmp:
            receiveICMP(bytes, transport: transport, length: length, source: source, choices)
        default:
            interface.counters[drop: .unsupportedProtocol] += 1
        }
    }
}
