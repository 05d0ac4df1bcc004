/// The shared "early parse" that colo-compare and filter-rewriter apply to every frame (P-1, P-2).
///
/// A frame is *parseable* when every check of P-1 holds, in that order. The result keeps only
/// what QEMU keeps: where the network and transport headers start. QEMU never checks that the
/// transport header lies inside the frame (P-1.6), nor the IP version, total length or
/// checksum, nor IHL ≥ 5 (P-1.5); fragments are parsed as if they began with a transport
/// header (P-2). Readers of fields past the end see zeros (see `byte(at:)`).
public struct COLOPacketLayout: Sendable, Hashable {
    /// V: bytes of virtio-net header before the Ethernet header.
    public var vnetHeaderLength: Int
    /// L2 header length: 14, 18 or 22 (P-1.3).
    public var l2HeaderLength: Int
    /// IHL as found in the IPv4 header (4-byte words; unchecked).
    public var ihl: Int
    public var ipProtocol: UInt8
    public var source: IPv4Address
    public var destination: IPv4Address

    @inlinable public var networkOffset: Int { vnetHeaderLength + l2HeaderLength }
    @inlinable public var transportOffset: Int { networkOffset + 4 * ihl }

    @usableFromInline
    init(vnetHeaderLength: Int, l2HeaderLength: Int, ihl: Int, ipProtocol: UInt8, source: IPv4Address, destination: IPv4Address) {
        self.vnetHeaderLength = vnetHeaderLength
        self.l2HeaderLength = l2HeaderLength
        self.ihl = ihl
        self.ipProtocol = ipProtocol
        self.source = source
        self.destination = destination
    }
}

/// Why a frame is unparseable; each case names the P-1 check that failed.
public enum COLOUnparseableReason: Error, Sendable, Hashable, CustomStringConvertible {
    /// P-1.1: V above the largest virtio-net header (20 bytes).
    case vnetHeaderTooLong(vnet: UInt32)
    /// P-1.1: shorter than V + 18 bytes.
    case tooShort(length: Int, minimum: Int)
    /// P-1.2: a single 802.1Q tag.
    case vlanTagged
    /// P-1.4: the protocol after the L2 header is not IPv4.
    case notIPv4(etherType: UInt16)
    /// P-1.5: the IPv4 header (4·IHL bytes) does not fit in the frame.
    case ipHeaderTruncated(length: Int, needed: Int)

    public var description: String {
        switch self {
        case .vnetHeaderTooLong(let vnet): "vnet header length \(vnet) > \(COLOPacketParser.maximumVnetHeaderLength)"
        case .tooShort(let length, let minimum): "frame of \(length) bytes is shorter than \(minimum)"
        case .vlanTagged: "802.1Q-tagged frame (VLAN unsupported)"
        case .notIPv4(let type): "ethertype 0x\(String(type, radix: 16, uppercase: false)) is not IPv4"
        case .ipHeaderTruncated(let length, let needed): "IPv4 header needs \(needed) bytes, frame has \(length)"
        }
    }

    /// A short stable token for JSON output and counters.
    public var token: String {
        switch self {
        case .vnetHeaderTooLong: "vnet_header_too_long"
        case .tooShort: "too_short"
        case .vlanTagged: "vlan_tagged"
        case .notIPv4: "not_ipv4"
        case .ipHeaderTruncated: "ip_header_truncated"
        }
    }
}

public enum COLOPacketParser {
    /// The largest virtio-net header (v1 with hash fields), W-13.
    public static let maximumVnetHeaderLength: UInt32 = 20

    /// The L2 header length rule shared by parse and checksum code (P-1.3, RW-13):
    /// 14, or 18 for 802.1Q, or for 802.1ad 22 when the inner type is 802.1Q else 18.
    /// `offset` is where the Ethernet header starts.
    @inlinable
    public static func l2HeaderLength(_ bytes: [UInt8], at offset: Int) -> Int {
        switch bytes.be16(at: offset + 12) {
        case EtherType.vlan: 18
        case EtherType.qinq: bytes.be16(at: offset + 16) == EtherType.vlan ? 22 : 18
        default: 14
        }
    }

    /// P-1: parseable or not, checked in QEMU's order. Inlinable: both engines call it once
    /// per frame, and inlined the `Result` is never built.
    @inlinable
    public static func parse(_ frame: Frame) -> Result<COLOPacketLayout, COLOUnparseableReason> {
        parse(frame.bytes, vnetHeaderLength: frame.vnetHeaderLength)
    }

    @inlinable
    public static func parse(_ bytes: [UInt8], vnetHeaderLength vnet: UInt32) -> Result<COLOPacketLayout, COLOUnparseableReason> {
        if let layout = parseWholeHeader(bytes, vnetHeaderLength: vnet) { return .success(layout) }
        return parseChecked(bytes, vnetHeaderLength: vnet)
    }

    /// The common case of P-1 in one pass: an untagged or 802.1ad-tagged IPv4 frame holding at
    /// least 20 bytes after the L2 header. Every field read then lies inside the frame, so it is
    /// read with plain loads after one length check instead of a bounds check per byte. Returns
    /// nil for anything else (802.1Q, not IPv4, a shorter frame, an IP header past the frame),
    /// which `parseChecked` decides field by field; where both decide, they agree.
    @inlinable @inline(__always)
    static func parseWholeHeader(_ bytes: [UInt8], vnetHeaderLength vnet: UInt32) -> COLOPacketLayout? {
        guard vnet <= maximumVnetHeaderLength else { return nil }
        let v = Int(vnet)
        return bytes.withUnsafeBytes { raw -> COLOPacketLayout? in
            @inline(__always) func be16(_ offset: Int) -> UInt16 {
                UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            }
            @inline(__always) func be32(_ offset: Int) -> UInt32 {
                UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            }
            // 14 bytes of Ethernet header and 20 of IP header.
            guard raw.count >= v + 34 else { return nil }
            let l2: Int
            switch be16(v + 12) {
            case EtherType.ipv4: l2 = 14
            case EtherType.qinq:
                // 802.1ad: the inner type decides 22 or 18 (P-1.3); 38 bytes cover both reads.
                guard raw.count >= v + 38 else { return nil }
                l2 = be16(v + 16) == EtherType.vlan ? 22 : 18
                guard be16(v + l2 - 2) == EtherType.ipv4 else { return nil }
            default: return nil
            }
            let network = v + l2
            guard raw.count >= network + 20 else { return nil }
            let ihl = Int(raw[network] & 0x0f)
            guard raw.count >= network + 4 * ihl else { return nil }
            return COLOPacketLayout(
                vnetHeaderLength: v, l2HeaderLength: l2, ihl: ihl, ipProtocol: raw[network + 9],
                source: IPv4Address(be32(network + 12)), destination: IPv4Address(be32(network + 16)))
        }
    }

    /// P-1 field by field, each read bounds-checked (bytes past the frame read as zero).
    @inlinable
    static func parseChecked(_ bytes: [UInt8], vnetHeaderLength vnet: UInt32) -> Result<COLOPacketLayout, COLOUnparseableReason> {
        guard vnet <= maximumVnetHeaderLength else { return .failure(.vnetHeaderTooLong(vnet: vnet)) }
        let v = Int(vnet)
        guard bytes.count >= v + 18 else { return .failure(.tooShort(length: bytes.count, minimum: v + 18)) }
        guard bytes.be16(at: v + 12) != EtherType.vlan else { return .failure(.vlanTagged) }
        let l2 = l2HeaderLength(bytes, at: v)
        let l3Type = bytes.be16(at: v + l2 - 2)
        guard l3Type == EtherType.ipv4 else { return .failure(.notIPv4(etherType: l3Type)) }
        let network = v + l2
        // The IHL byte is inside the frame: length ≥ v + 18 and l2 ≤ 22 leaves at most a 4-byte gap,
        // which `byte(at:)` reads as zero, matching a zero IHL that fails no check (P-1.5).
        let ihl = Int(bytes.byte(at: network) & 0x0f)
        guard bytes.count >= network + 4 * ihl else {
            return .failure(.ipHeaderTruncated(length: bytes.count, needed: network + 4 * ihl))
        }
        return .success(COLOPacketLayout(
            vnetHeaderLength: v,
            l2HeaderLength: l2,
            ihl: ihl,
            ipProtocol: bytes.byte(at: network + 9),
            source: IPv4Address(bytes.be32(at: network + 12)),
            destination: IPv4Address(bytes.be32(at: network + 16))
        ))
    }
}
