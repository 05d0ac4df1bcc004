import Fabric

/// Frames a scenario makes a guest send outside its applications, to show what the compare does
/// with traffic it cannot parse (C-3, C-4): ARP and IPv6 pass uncompared.
public enum InjectedFrameKind: String, Sendable, Hashable, CaseIterable {
    /// A gratuitous ARP request announcing the guest's own address.
    case arp
    /// An IPv6 packet to all nodes (ff02::1) with no next header and no payload.
    case ipv6

    /// The frame, from `mac`/`address`, with a zeroed vnet header of `vnetHeaderLength` bytes.
    func frame(mac: MACAddress, address: IPv4Address, vnetHeaderLength: Int) -> Frame {
        var bytes = [UInt8](repeating: 0, count: vnetHeaderLength)
        switch self {
        case .arp:
            bytes += [UInt8](repeating: 0xFF, count: 6)
            bytes += mac.octets
            bytes += [0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01]
            bytes += mac.octets
            bytes += Self.bigEndian(address.value)
            bytes += [UInt8](repeating: 0, count: 6)
            bytes += Self.bigEndian(address.value)
        case .ipv6:
            bytes += [0x33, 0x33, 0x00, 0x00, 0x00, 0x01]
            bytes += mac.octets
            bytes += [0x86, 0xDD]
            // Version 6, no traffic class or flow label, payload length 0, next header 59
            // (none), hop limit 1.
            bytes += [0x60, 0, 0, 0, 0x00, 0x00, 59, 1]
            // Source fe80::EUI-64 of the MAC.
            let octets = mac.octets
            bytes += [0xFE, 0x80, 0, 0, 0, 0, 0, 0, octets[0] ^ 0x02, octets[1], octets[2], 0xFF, 0xFE, octets[3], octets[4], octets[5]]
            bytes += [0xFF, 0x02] + [UInt8](repeating: 0, count: 13) + [0x01]
        }
        return Frame(bytes, vnetHeaderLength: UInt32(vnetHeaderLength))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
         UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }
}
