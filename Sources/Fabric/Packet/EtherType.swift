/// EtherType values the COLO path cares about.
public enum EtherType {
    public static let ipv4: UInt16 = 0x0800
    public static let arp: UInt16 = 0x0806
    public static let ipv6: UInt16 = 0x86DD
    /// 802.1Q customer VLAN tag.
    public static let vlan: UInt16 = 0x8100
    /// 802.1ad service VLAN tag (QinQ outer tag).
    public static let qinq: UInt16 = 0x88A8
}

/// IP protocol numbers used in connection keys (P-3) and by the compare (C-14..C-17).
public enum IPProtocolNumber {
    public static let icmp: UInt8 = 1
    public static let igmp: UInt8 = 2
    public static let tcp: UInt8 = 6
    public static let udp: UInt8 = 17
    public static let dccp: UInt8 = 33
    public static let gre: UInt8 = 47
    public static let esp: UInt8 = 50
    public static let ah: UInt8 = 51
    public static let sctp: UInt8 = 132
    public static let udpLite: UInt8 = 136

    public static func name(_ number: UInt8) -> String {
        switch number {
        case icmp: "icmp"
        case igmp: "igmp"
        case tcp: "tcp"
        case udp: "udp"
        case dccp: "dccp"
        case gre: "gre"
        case esp: "esp"
        case ah: "ah"
        case sctp: "sctp"
        case udpLite: "udplite"
        default: "proto-\(number)"
        }
    }
}
