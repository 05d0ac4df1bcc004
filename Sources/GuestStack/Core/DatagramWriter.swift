import Fabric

/// Builds the less frequent frames (UDP, ICMP, ARP) in one allocation each.
enum DatagramWriter {
    /// An IPv4 frame carrying `transport`. With `pseudoChecksumAt`, the transport checksum
    /// (pseudo-header included, as TCP and UDP use) is computed and stored at that offset;
    /// otherwise `transport` must already carry its checksum (ICMP).
    static func ipv4(_ addressing: DatagramAddressing, protocol proto: UInt8, transport: [UInt8], pseudoChecksumAt: Int?) -> [UInt8] {
        let l3 = addressing.vnetHeaderLength + 14
        let l4 = l3 + 20
        let total = l4 + transport.count
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            let p = UnsafeMutableRawPointer(buffer.baseAddress!)
            if addressing.vnetHeaderLength > 0 {
                p.initializeMemory(as: UInt8.self, repeating: 0, count: addressing.vnetHeaderLength)
            }
            TCPFrameWriter.writeEthernet(p, addressing, etherType: EtherType.ipv4)
            TCPFrameWriter.writeIPv4Header(p + l3, addressing, protocol: proto, totalLength: 20 + transport.count)
            transport.withUnsafeBytes { (p + l4).copyMemory(from: $0.baseAddress!, byteCount: transport.count) }
            if let at = pseudoChecksumAt {
                (p + l4).storeBytes(of: UInt16(0), toByteOffset: at, as: UInt16.self)
                let pseudo = InternetChecksum.pseudoHeader(
                    source: addressing.source, destination: addressing.destination, protocol: proto, length: transport.count)
                var sum = ~InternetChecksum.add(pseudo, InternetChecksum.sum(UnsafeRawPointer(p + l4), count: transport.count))
                // RFC 768: a computed zero is sent as all ones.
                if proto == IPProtocolNumber.udp && sum == 0 { sum = 0xffff }
                (p + l4).storeBytes(of: sum.bigEndian, toByteOffset: at, as: UInt16.self)
            }
            initialized = total
        }
    }

    static func udp(_ addressing: DatagramAddressing, sourcePort: UInt16, destinationPort: UInt16, payload: [UInt8]) -> [UInt8] {
        var transport: [UInt8] = []
        transport.reserveCapacity(8 + payload.count)
        transport.appendBE16(sourcePort)
        transport.appendBE16(destinationPort)
        transport.appendBE16(UInt16(truncatingIfNeeded: 8 + payload.count))
        transport.appendBE16(0)
        transport += payload
        return ipv4(addressing, protocol: IPProtocolNumber.udp, transport: transport, pseudoChecksumAt: 6)
    }

    /// An ICMP message: type, code, the 4-byte rest-of-header word, then `body`.
    static func icmp(_ addressing: DatagramAddressing, type: UInt8, code: UInt8, restOfHeader: UInt32, body: [UInt8]) -> [UInt8] {
        var message: [UInt8] = [type, code, 0, 0]
        message.reserveCapacity(8 + body.count)
        message.appendBE32(restOfHeader)
        message += body
        let sum = message.withUnsafeBytes { ~InternetChecksum.sum($0.baseAddress!, count: $0.count) }
        message.setBE16(sum, at: 2)
        return ipv4(addressing, protocol: IPProtocolNumber.icmp, transport: message, pseudoChecksumAt: nil)
    }

    static func arp(
        vnetHeaderLength: Int, ethernetDestination: MACAddress, operation: UInt16,
        senderMAC: MACAddress, senderAddress: IPv4Address, targetMAC: MACAddress, targetAddress: IPv4Address
    ) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: vnetHeaderLength)
        bytes.reserveCapacity(vnetHeaderLength + 42)
        bytes += ethernetDestination.octets
        bytes += senderMAC.octets
        bytes.appendBE16(EtherType.arp)
        bytes.appendBE16(1)
        bytes.appendBE16(EtherType.ipv4)
        bytes += [6, 4]
        bytes.appendBE16(operation)
        bytes += senderMAC.octets
        bytes.appendBE32(senderAddress.value)
        bytes += targetMAC.octets
        bytes.appendBE32(targetAddress.value)
        return bytes
    }
}
