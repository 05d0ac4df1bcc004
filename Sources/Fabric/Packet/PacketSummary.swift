/// One-line, tcpdump-like descriptions of frames for text reports and traces.
public enum PacketSummary {
    public static func describe(_ frame: Frame) -> String {
        let v = Int(frame.vnetHeaderLength)
        let bytes = frame.bytes
        guard v <= bytes.count, let ethernet = EthernetHeader(bytes, at: v) else {
            return "runt frame (\(bytes.count) bytes)"
        }
        let tagText = ethernet.tags.isEmpty ? "" : "vlan " + ethernet.tags.map { String($0.tci & 0x0fff) }.joined(separator: "/") + " "
        let l3 = v + ethernet.headerLength
        switch ethernet.etherType {
        case EtherType.ipv4:
            guard let ip = IPv4Header(bytes, at: l3) else { return tagText + "IPv4 malformed (\(bytes.count) bytes)" }
            return tagText + describeIPv4(bytes, ip: ip, at: l3)
        case EtherType.arp:
            guard let arp = ARPPacket(bytes, at: l3) else { return tagText + "ARP malformed" }
            return tagText + (arp.operation == ARPPacket.request
                ? "ARP who-has \(arp.targetProtocol) tell \(arp.senderProtocol)"
                : "ARP \(arp.senderProtocol) is-at \(arp.senderHardware)")
        case EtherType.ipv6:
            return tagText + "IPv6 (\(bytes.count - l3) bytes, not compared)"
        default:
            return tagText + "ethertype 0x\(String(ethernet.etherType, radix: 16)) (\(bytes.count) bytes)"
        }
    }

    static func describeIPv4(_ bytes: [UInt8], ip: IPv4Header, at offset: Int) -> String {
        let transport = offset + ip.headerLength
        let fragment = ip.isFragment ? " frag(off=\(Int(ip.fragmentOffset) * 8)\(ip.moreFragments ? ",MF" : ""))" : ""
        switch ip.protocolNumber {
        case IPProtocolNumber.tcp:
            guard let tcp = TCPHeader(bytes, at: transport) else { return "IP \(ip.source) > \(ip.destination) TCP malformed" }
            let payload = max(0, Int(ip.totalLength) - ip.headerLength - tcp.headerLength)
            return "IP \(ip.source).\(tcp.sourcePort) > \(ip.destination).\(tcp.destinationPort): Flags [\(tcp.flags)], seq \(tcp.sequenceNumber), ack \(tcp.acknowledgementNumber), win \(tcp.window), length \(payload)\(fragment)"
        case IPProtocolNumber.udp:
            guard let udp = UDPHeader(bytes, at: transport) else { return "IP \(ip.source) > \(ip.destination) UDP malformed" }
            return "IP \(ip.source).\(udp.sourcePort) > \(ip.destination).\(udp.destinationPort): UDP, length \(max(0, Int(udp.length) - 8))\(fragment)"
        case IPProtocolNumber.icmp:
            guard let icmp = ICMPHeader(bytes, at: transport) else { return "IP \(ip.source) > \(ip.destination) ICMP malformed" }
            let kind = switch icmp.type {
            case ICMPHeader.echoRequest: "echo request"
            case ICMPHeader.echoReply: "echo reply"
            default: "type \(icmp.type) code \(icmp.code)"
            }
            return "IP \(ip.source) > \(ip.destination): ICMP \(kind), id \(icmp.identifier), seq \(icmp.sequence)\(fragment)"
        default:
            return "IP \(ip.source) > \(ip.destination): \(IPProtocolNumber.name(ip.protocolNumber)), length \(Int(ip.totalLength) - ip.headerLength)\(fragment)"
        }
    }
}
