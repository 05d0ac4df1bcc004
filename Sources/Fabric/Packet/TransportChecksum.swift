/// Checks and recomputes the checksums of IPv4 datagrams inside frames.
public enum TransportChecksum {
    /// The correct TCP/UDP checksum for the datagram whose IPv4 header starts at `ipOffset`,
    /// computed over the IP total length (padding excluded). Nil when the datagram is not
    /// complete in the buffer or IHL is invalid.
    public static func expected(_ bytes: [UInt8], ipOffset: Int) -> UInt16? {
        guard let ip = IPv4Header(bytes, at: ipOffset) else { return nil }
        let transport = ipOffset + ip.headerLength
        let length = Int(ip.totalLength) - ip.headerLength
        guard length >= 0, bytes.contains(offset: transport, length: length) else { return nil }
        let fieldOffset: Int
        switch ip.protocolNumber {
        case IPProtocolNumber.tcp: fieldOffset = 16
        case IPProtocolNumber.udp: fieldOffset = 6
        case IPProtocolNumber.icmp:
            guard length >= 4 else { return nil }
            var copy = Array(bytes[transport..<transport + length])
            copy.setBE16(0, at: 2)
            return InternetChecksum.checksum(copy)
        default: return nil
        }
        guard length >= fieldOffset + 2 else { return nil }
        var sum = InternetChecksum.pseudoHeader(
            source: ip.source.value, destination: ip.destination.value, protocol: ip.protocolNumber, length: length)
        // Both parts start at an even offset from the transport header, so their words line up.
        sum = InternetChecksum.add(sum, InternetChecksum.sum(bytes, from: transport, count: fieldOffset))
        sum = InternetChecksum.add(sum, InternetChecksum.sum(bytes, from: transport + fieldOffset + 2, count: length - fieldOffset - 2))
        var result = ~sum
        if ip.protocolNumber == IPProtocolNumber.udp && result == 0 { result = 0xffff }
        return result
    }

    /// Whether the IP header checksum and the transport checksum (TCP, UDP, ICMP) verify.
    /// UDP with a zero checksum ("none") counts as valid.
    public static func isValid(_ bytes: [UInt8], ipOffset: Int) -> Bool {
        guard IPv4Header.checksumIsValid(bytes, at: ipOffset), let ip = IPv4Header(bytes, at: ipOffset) else { return false }
        let transport = ipOffset + ip.headerLength
        let stored: UInt16
        switch ip.protocolNumber {
        case IPProtocolNumber.tcp: stored = bytes.be16(at: transport + 16)
        case IPProtocolNumber.udp:
            stored = bytes.be16(at: transport + 6)
            if stored == 0 { return true }
        case IPProtocolNumber.icmp: stored = bytes.be16(at: transport + 2)
        default: return true
        }
        return expected(bytes, ipOffset: ipOffset) == stored
    }
}
