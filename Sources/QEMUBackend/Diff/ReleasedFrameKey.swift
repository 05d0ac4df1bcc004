import Fabric

/// What identifies a released frame across two runs whose clocks, ISNs and IP IDs may differ:
/// its flow, its TCP sequence number relative to the first one seen in that flow, its payload
/// length and flags; for other protocols a hash of everything after the IP header.
struct ReleasedFrameKeys {
    private var firstSequence: [String: UInt32] = [:]

    /// The flow (`10.0.0.2:80 > 10.0.0.1:49152`, or the protocol for what is not TCP/UDP) and the
    /// frame's key within it.
    mutating func key(_ frame: Frame) -> (flow: String, key: String) {
        let bytes = frame.bytes
        let start = Int(frame.vnetHeaderLength)
        guard start <= bytes.count, let ethernet = EthernetHeader(bytes, at: start) else { return ("other", "runt \(bytes.count)") }
        let l3 = start + ethernet.headerLength
        guard ethernet.etherType == EtherType.ipv4, let ip = IPv4Header(bytes, at: l3) else {
            return ("ethertype 0x\(String(ethernet.etherType, radix: 16))", "\(bytes.count - l3) bytes #\(Self.hash(bytes[min(l3, bytes.count)...]))")
        }
        let transport = l3 + ip.headerLength
        if ip.protocolNumber == IPProtocolNumber.tcp, let tcp = TCPHeader(bytes, at: transport) {
            let flow = "\(ip.source):\(tcp.sourcePort) > \(ip.destination):\(tcp.destinationPort)"
            let first = firstSequence[flow] ?? tcp.sequenceNumber
            firstSequence[flow] = first
            let payload = max(0, Int(ip.totalLength) - ip.headerLength - tcp.headerLength)
            return (flow, "seq +\(tcp.sequenceNumber &- first) len \(payload) [\(tcp.flags)]")
        }
        if ip.protocolNumber == IPProtocolNumber.udp, let udp = UDPHeader(bytes, at: transport) {
            let flow = "udp \(ip.source):\(udp.sourcePort) > \(ip.destination):\(udp.destinationPort)"
            return (flow, "len \(max(0, Int(udp.length) - 8)) #\(Self.hash(bytes[min(transport, bytes.count)...]))")
        }
        return ("\(IPProtocolNumber.name(ip.protocolNumber)) \(ip.source) > \(ip.destination)",
                "\(bytes.count - transport) bytes #\(Self.hash(bytes[min(transport, bytes.count)...]))")
    }

    private static func hash(_ bytes: ArraySlice<UInt8>) -> String {
        var hasher = FNV1a64()
        for byte in bytes { hasher.combine(byte: byte) }
        return String(hasher.value & 0xffff_ffff, radix: 16)
    }
}
