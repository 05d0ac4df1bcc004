import Fabric

/// An IPv4 address and port.
public struct Endpoint: Sendable, Hashable {
    public var address: [UInt8]
    public var port: UInt16
    public init(_ address: [UInt8], _ port: UInt16) {
        self.address = address
        self.port = port
    }
}

/// Small, correct-checksum frame builders for oracle tests and differential cases.
///
/// Stand-in until Fabric's packet builders land; every frame is Ethernet II + IPv4 (no VLAN),
/// optionally preceded by a virtio-net header of the given bytes (Frame.vnetHeaderLength).
public enum CaseFrames {
    public static let guestMAC: [UInt8] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56]
    public static let clientMAC: [UInt8] = [0x52, 0x54, 0x00, 0xab, 0xcd, 0xef]

    public static func tcp(
        from source: Endpoint, to destination: Endpoint, seq: UInt32, ack: UInt32, flags: TCPFlags,
        payload: [UInt8] = [], window: UInt16 = 64_240, tcpOptions: [UInt8] = [],
        ipOptions: [UInt8] = [], ipID: UInt16 = 0, ttl: UInt8 = 64, vnetHeader: [UInt8] = []
    ) -> Frame {
        let dataOffset = UInt8((20 + tcpOptions.count) / 4)
        var segment: [UInt8] = []
        append16(source.port, &segment)
        append16(destination.port, &segment)
        append32(seq, &segment)
        append32(ack, &segment)
        segment += [dataOffset << 4, flags.rawValue]
        append16(window, &segment)
        segment += [0, 0, 0, 0]  // checksum, urgent pointer
        segment += tcpOptions + payload
        let checksum = transportChecksum(segment, source: source.address, destination: destination.address, protocolNumber: 6)
        segment[16] = UInt8(checksum >> 8)
        segment[17] = UInt8(checksum & 0xff)
        return ipv4(from: source.address, to: destination.address, protocolNumber: 6, payload: segment,
                    ipOptions: ipOptions, ipID: ipID, ttl: ttl, vnetHeader: vnetHeader)
    }

    public static func udp(
        from source: Endpoint, to destination: Endpoint, payload: [UInt8],
        ipID: UInt16 = 0, ttl: UInt8 = 64, vnetHeader: [UInt8] = []
    ) -> Frame {
        var datagram: [UInt8] = []
        append16(source.port, &datagram)
        append16(destination.port, &datagram)
        append16(UInt16(8 + payload.count), &datagram)
        datagram += [0, 0] + payload
        var checksum = transportChecksum(datagram, source: source.address, destination: destination.address, protocolNumber: 17)
        if checksum == 0 { checksum = 0xffff }
        datagram[6] = UInt8(checksum >> 8)
        datagram[7] = UInt8(checksum & 0xff)
        return ipv4(from: source.address, to: destination.address, protocolNumber: 17, payload: datagram,
                    ipID: ipID, ttl: ttl, vnetHeader: vnetHeader)
    }

    /// ICMP echo request (type 8) or reply (type 0).
    public static func icmpEcho(
        from source: [UInt8], to destination: [UInt8], type: UInt8 = 8, identifier: UInt16, sequence: UInt16,
        payload: [UInt8], ipID: UInt16 = 0, ttl: UInt8 = 64
    ) -> Frame {
        var message: [UInt8] = [type, 0, 0, 0]
        append16(identifier, &message)
        append16(sequence, &message)
        message += payload
        let checksum = internetChecksum(message)
        message[2] = UInt8(checksum >> 8)
        message[3] = UInt8(checksum & 0xff)
        return ipv4(from: source, to: destination, protocolNumber: 1, payload: message, ipID: ipID, ttl: ttl)
    }

    /// An IPv4 packet with an arbitrary protocol number and payload (GRE = 47, SCTP = 132, ...).
    public static func ipv4(
        from source: [UInt8], to destination: [UInt8], protocolNumber: UInt8, payload: [UInt8],
        ipOptions: [UInt8] = [], ipID: UInt16 = 0, ttl: UInt8 = 64, vnetHeader: [UInt8] = []
    ) -> Frame {
        let headerLength = 20 + ipOptions.count
        var header: [UInt8] = [0x40 | UInt8(headerLength / 4), 0]
        append16(UInt16(headerLength + payload.count), &header)
        append16(ipID, &header)
        header += [0x40, 0, ttl, protocolNumber, 0, 0]  // DF, no fragment offset
        header += source + destination + ipOptions
        let checksum = internetChecksum(header)
        header[10] = UInt8(checksum >> 8)
        header[11] = UInt8(checksum & 0xff)
        return ethernet(etherType: 0x0800, payload: header + payload, vnetHeader: vnetHeader)
    }

    /// An ARP request (never parsed by compare or rewriter, P-1).
    public static func arpRequest(senderIP: [UInt8], targetIP: [UInt8]) -> Frame {
        var body: [UInt8] = [0, 1, 0x08, 0x00, 6, 4, 0, 1]
        body += guestMAC + senderIP + [0, 0, 0, 0, 0, 0] + targetIP
        return ethernet(destination: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff], etherType: 0x0806, payload: body)
    }

    public static func ethernet(
        destination: [UInt8] = clientMAC, source: [UInt8] = guestMAC, etherType: UInt16,
        payload: [UInt8], vnetHeader: [UInt8] = []
    ) -> Frame {
        var bytes = vnetHeader + destination + source
        append16(etherType, &bytes)
        bytes += payload
        return Frame(bytes, vnetHeaderLength: UInt32(vnetHeader.count))
    }

    public static func internetChecksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { sum += UInt32(bytes[index]) << 8 }
        while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
        return ~UInt16(sum)
    }

    static func transportChecksum(_ segment: [UInt8], source: [UInt8], destination: [UInt8], protocolNumber: UInt8) -> UInt16 {
        var pseudo = source + destination + [0, protocolNumber]
        append16(UInt16(segment.count), &pseudo)
        return internetChecksum(pseudo + segment)
    }

    static func append16(_ value: UInt16, _ bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 8), UInt8(value & 0xff)]
    }

    static func append32(_ value: UInt32, _ bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
    }
}
