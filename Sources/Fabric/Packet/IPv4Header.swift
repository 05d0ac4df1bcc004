/// A read-only view of an IPv4 header, options and fragmentation recognised.
public struct IPv4Header: Sendable, Hashable {
    public var version: UInt8
    /// Header length in 32-bit words, as on the wire (may be below 5 in hostile input).
    public var ihl: UInt8
    public var tos: UInt8
    public var totalLength: UInt16
    public var identification: UInt16
    public var dontFragment: Bool
    public var moreFragments: Bool
    /// Fragment offset in 8-byte units.
    public var fragmentOffset: UInt16
    public var ttl: UInt8
    public var protocolNumber: UInt8
    public var headerChecksum: UInt16
    public var source: IPv4Address
    public var destination: IPv4Address
    public var options: [UInt8]

    public var headerLength: Int { Int(ihl) * 4 }
    /// A fragment is any datagram with MF set or a non-zero offset.
    public var isFragment: Bool { moreFragments || fragmentOffset != 0 }

    /// Parses the header at `offset`. Nil when the fixed 20 bytes are not there, the version is
    /// not 4, IHL is below 5, or the options run past the buffer.
    public init?(_ bytes: [UInt8], at offset: Int) {
        guard bytes.contains(offset: offset, length: 20) else { return nil }
        version = bytes[offset] >> 4
        ihl = bytes[offset] & 0x0f
        guard version == 4, ihl >= 5, bytes.contains(offset: offset, length: Int(ihl) * 4) else { return nil }
        tos = bytes[offset + 1]
        totalLength = bytes.be16(at: offset + 2)
        identification = bytes.be16(at: offset + 4)
        let flagsAndOffset = bytes.be16(at: offset + 6)
        dontFragment = flagsAndOffset & 0x4000 != 0
        moreFragments = flagsAndOffset & 0x2000 != 0
        fragmentOffset = flagsAndOffset & 0x1fff
        ttl = bytes[offset + 8]
        protocolNumber = bytes[offset + 9]
        headerChecksum = bytes.be16(at: offset + 10)
        source = IPv4Address(bytes.be32(at: offset + 12))
        destination = IPv4Address(bytes.be32(at: offset + 16))
        options = Array(bytes[offset + 20..<offset + Int(ihl) * 4])
    }

    /// Whether the stored header checksum verifies.
    public static func checksumIsValid(_ bytes: [UInt8], at offset: Int) -> Bool {
        guard bytes.contains(offset: offset, length: 20) else { return false }
        let length = Int(bytes[offset] & 0x0f) * 4
        guard length >= 20, bytes.contains(offset: offset, length: length) else { return false }
        return InternetChecksum.sum(bytes, from: offset, count: length) == 0xffff
    }
}
