/// A read-only view of a UDP header.
public struct UDPHeader: Sendable, Hashable {
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var length: UInt16
    public var checksum: UInt16

    public init?(_ bytes: [UInt8], at offset: Int) {
        guard bytes.contains(offset: offset, length: 8) else { return nil }
        sourcePort = bytes.be16(at: offset)
        destinationPort = bytes.be16(at: offset + 2)
        length = bytes.be16(at: offset + 4)
        checksum = bytes.be16(at: offset + 6)
    }
}

/// A read-only view of an ICMP (v4) header.
public struct ICMPHeader: Sendable, Hashable {
    public var type: UInt8
    public var code: UInt8
    public var checksum: UInt16
    /// Identifier and sequence for echo request/reply; the rest-of-header word otherwise.
    public var identifier: UInt16
    public var sequence: UInt16

    public static let echoReply: UInt8 = 0
    public static let echoRequest: UInt8 = 8

    public init?(_ bytes: [UInt8], at offset: Int) {
        guard bytes.contains(offset: offset, length: 8) else { return nil }
        type = bytes[offset]
        code = bytes[offset + 1]
        checksum = bytes.be16(at: offset + 2)
        identifier = bytes.be16(at: offset + 4)
        sequence = bytes.be16(at: offset + 6)
    }
}

/// A read-only view of an Ethernet/IPv4 ARP packet.
public struct ARPPacket: Sendable, Hashable {
    public var operation: UInt16
    public var senderHardware: MACAddress
    public var senderProtocol: IPv4Address
    public var targetHardware: MACAddress
    public var targetProtocol: IPv4Address

    public static let request: UInt16 = 1
    public static let reply: UInt16 = 2

    /// Nil unless the packet is Ethernet (htype 1, hlen 6) over IPv4 (ptype 0x0800, plen 4).
    public init?(_ bytes: [UInt8], at offset: Int) {
        guard bytes.contains(offset: offset, length: 28),
              bytes.be16(at: offset) == 1, bytes.be16(at: offset + 2) == EtherType.ipv4,
              bytes[offset + 4] == 6, bytes[offset + 5] == 4 else { return nil }
        operation = bytes.be16(at: offset + 6)
        senderHardware = MACAddress(Array(bytes[offset + 8..<offset + 14]))
        senderProtocol = IPv4Address(bytes.be32(at: offset + 14))
        targetHardware = MACAddress(Array(bytes[offset + 18..<offset + 24]))
        targetProtocol = IPv4Address(bytes.be32(at: offset + 24))
    }
}

/// IPv6 is recognised (never parsed further: the COLO path does not compare it, L-8).
public struct IPv6Header: Sendable, Hashable {
    public var payloadLength: UInt16
    public var nextHeader: UInt8
    public var hopLimit: UInt8
    public var source: [UInt8]
    public var destination: [UInt8]

    public init?(_ bytes: [UInt8], at offset: Int) {
        guard bytes.contains(offset: offset, length: 40), bytes[offset] >> 4 == 6 else { return nil }
        payloadLength = bytes.be16(at: offset + 4)
        nextHeader = bytes[offset + 6]
        hopLimit = bytes[offset + 7]
        source = Array(bytes[offset + 8..<offset + 24])
        destination = Array(bytes[offset + 24..<offset + 40])
    }
}
