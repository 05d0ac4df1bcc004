import Fabric

/// A validated inbound TCP segment: header fields, the options the stack understands, and where
/// its payload lies in the frame's bytes.
struct InboundTCPSegment: Sendable {
    var source: IPv4Address
    var destination: IPv4Address
    var sourcePort: UInt16
    var destinationPort: UInt16
    var sequence: UInt32
    var acknowledgement: UInt32
    var flags: TCPFlags
    var window: UInt16
    var payloadStart: Int
    var payloadLength: Int
    var maximumSegmentSize: UInt16?
    var sackPermitted = false
    var hasTimestamp = false
    var timestampValue: UInt32 = 0
    var timestampEcho: UInt32 = 0

    /// Sequence space the segment occupies: payload plus one each for SYN and FIN.
    var sequenceLength: Int {
        payloadLength + (flags.contains(.syn) ? 1 : 0) + (flags.contains(.fin) ? 1 : 0)
    }

    /// Validates and parses the TCP segment occupying `bytes[start..<start+length]` (length from
    /// the IP header, so Ethernet padding is excluded). Never reads outside that range.
    static func parse(_ bytes: [UInt8], start: Int, length: Int, source: IPv4Address, destination: IPv4Address)
        -> Result<InboundTCPSegment, StackDropReason>
    {
        guard length >= 20, bytes.contains(offset: start, length: length) else { return .failure(.truncatedTransport) }
        let headerLength = Int(bytes[start + 12] >> 4) * 4
        guard headerLength >= 20, headerLength <= length else { return .failure(.badTCPDataOffset) }
        let checksumOK = bytes.withUnsafeBytes { raw -> Bool in
            let pseudo = InternetChecksum.pseudoHeader(
                source: source.value, destination: destination.value, protocol: IPProtocolNumber.tcp, length: length)
            return InternetChecksum.add(pseudo, InternetChecksum.sum(raw.baseAddress! + start, count: length)) == 0xffff
        }
        guard checksumOK else { return .failure(.badTCPChecksum) }
        var segment = InboundTCPSegment(
            source: source, destination: destination,
            sourcePort: bytes.be16(at: start), destinationPort: bytes.be16(at: start + 2),
            sequence: bytes.be32(at: start + 4), acknowledgement: bytes.be32(at: start + 8),
            flags: TCPFlags(rawValue: bytes[start + 13]), window: bytes.be16(at: start + 14),
            payloadStart: start + headerLength, payloadLength: length - headerLength)
        guard segment.parseOptions(bytes, from: start + 20, to: start + headerLength) else {
            return .failure(.badTCPOptions)
        }
        return .success(segment)
    }

    /// Reads the options; false when one is truncated (its length byte missing, below two, or
    /// running past the header). Known options of the wrong length are ignored, as Linux does.
    private mutating func parseOptions(_ bytes: [UInt8], from start: Int, to end: Int) -> Bool {
        var index = start
        while index < end {
            let kind = bytes[index]
            if kind == 0 { return true }
            if kind == 1 { index += 1; continue }
            guard index + 1 < end else { return false }
            let length = Int(bytes[index + 1])
            guard length >= 2, index + length <= end else { return false }
            switch (kind, length) {
            case (2, 4): maximumSegmentSize = bytes.be16(at: index + 2)
            case (4, 2): sackPermitted = true
            case (8, 10):
                hasTimestamp = true
                timestampValue = bytes.be32(at: index + 2)
                timestampEcho = bytes.be32(at: index + 6)
            default: break
            }
            index += length
        }
        return true
    }
}
