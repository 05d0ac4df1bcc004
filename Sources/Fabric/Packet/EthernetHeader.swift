/// A read-only view of an Ethernet header, with 802.1Q and 802.1ad tags recognised.
public struct EthernetHeader: Sendable, Hashable {
    public var destination: MACAddress
    public var source: MACAddress
    /// VLAN tags in wire order (outer first): (TPID, TCI).
    public var tags: [(tpid: UInt16, tci: UInt16)]
    /// The EtherType after the tags.
    public var etherType: UInt16
    /// Bytes from the start of the Ethernet header to the payload.
    public var headerLength: Int

    /// Parses the header starting at `offset`; nil when the buffer is too short.
    public init?(_ bytes: [UInt8], at offset: Int = 0) {
        guard bytes.contains(offset: offset, length: 14) else { return nil }
        destination = MACAddress(Array(bytes[offset..<offset + 6]))
        source = MACAddress(Array(bytes[offset + 6..<offset + 12]))
        var typeOffset = offset + 12
        var type = bytes.be16(at: typeOffset)
        var found: [(tpid: UInt16, tci: UInt16)] = []
        while (type == EtherType.vlan || type == EtherType.qinq) && found.count < 2 {
            guard bytes.contains(offset: typeOffset, length: 6) else { return nil }
            found.append((type, bytes.be16(at: typeOffset + 2)))
            typeOffset += 4
            type = bytes.be16(at: typeOffset)
        }
        tags = found
        etherType = type
        headerLength = typeOffset + 2 - offset
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.destination == rhs.destination && lhs.source == rhs.source && lhs.etherType == rhs.etherType
            && lhs.headerLength == rhs.headerLength
            && lhs.tags.map(\.tpid) == rhs.tags.map(\.tpid) && lhs.tags.map(\.tci) == rhs.tags.map(\.tci)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(destination)
        hasher.combine(source)
        hasher.combine(etherType)
        hasher.combine(headerLength)
    }
}
