/// TCP flag bits.
public struct TCPFlags: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let fin = TCPFlags(rawValue: 0x01)
    public static let syn = TCPFlags(rawValue: 0x02)
    public static let rst = TCPFlags(rawValue: 0x04)
    public static let psh = TCPFlags(rawValue: 0x08)
    public static let ack = TCPFlags(rawValue: 0x10)
    public static let urg = TCPFlags(rawValue: 0x20)
    public static let ece = TCPFlags(rawValue: 0x40)
    public static let cwr = TCPFlags(rawValue: 0x80)

    public var description: String {
        let names: [(TCPFlags, String)] = [(.syn, "S"), (.fin, "F"), (.rst, "R"), (.psh, "P"),
                                            (.ack, "."), (.urg, "U"), (.ece, "E"), (.cwr, "W")]
        let text = names.filter { contains($0.0) }.map(\.1).joined()
        return text.isEmpty ? "none" : text
    }
}

/// A TCP option as found on the wire.
public enum TCPOption: Sendable, Hashable {
    case maximumSegmentSize(UInt16)
    case windowScale(UInt8)
    case sackPermitted
    case sack([SACKBlock])
    case timestamps(value: UInt32, echoReply: UInt32)
    case noOperation
    case other(kind: UInt8, data: [UInt8])

    public struct SACKBlock: Sendable, Hashable {
        public var left: UInt32
        public var right: UInt32
        public init(left: UInt32, right: UInt32) { self.left = left; self.right = right }
    }
}

/// A read-only view of a TCP header.
public struct TCPHeader: Sendable, Hashable {
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var sequenceNumber: UInt32
    public var acknowledgementNumber: UInt32
    /// Header length in 32-bit words.
    public var dataOffset: UInt8
    public var flags: TCPFlags
    public var window: UInt16
    public var checksum: UInt16
    public var urgentPointer: UInt16
    public var options: [TCPOption]

    public var headerLength: Int { Int(dataOffset) * 4 }

    /// Parses the header at `offset`; nil when it does not fit or the data offset is below 5.
    /// Malformed options end option parsing rather than failing the header.
    public init?(_ bytes: [UInt8], at offset: Int) {
        guard bytes.contains(offset: offset, length: 20) else { return nil }
        sourcePort = bytes.be16(at: offset)
        destinationPort = bytes.be16(at: offset + 2)
        sequenceNumber = bytes.be32(at: offset + 4)
        acknowledgementNumber = bytes.be32(at: offset + 8)
        dataOffset = bytes[offset + 12] >> 4
        flags = TCPFlags(rawValue: bytes[offset + 13])
        window = bytes.be16(at: offset + 14)
        checksum = bytes.be16(at: offset + 16)
        urgentPointer = bytes.be16(at: offset + 18)
        guard dataOffset >= 5, bytes.contains(offset: offset, length: Int(dataOffset) * 4) else { return nil }
        options = TCPHeader.parseOptions(bytes, from: offset + 20, to: offset + Int(dataOffset) * 4)
    }

    static func parseOptions(_ bytes: [UInt8], from start: Int, to end: Int) -> [TCPOption] {
        var result: [TCPOption] = []
        var index = start
        while index < end {
            let kind = bytes[index]
            if kind == 0 { break }
            if kind == 1 { result.append(.noOperation); index += 1; continue }
            guard index + 1 < end else { break }
            let length = Int(bytes[index + 1])
            guard length >= 2, index + length <= end else { break }
            let body = index + 2
            switch (kind, length) {
            case (2, 4): result.append(.maximumSegmentSize(bytes.be16(at: body)))
            case (3, 3): result.append(.windowScale(bytes[body]))
            case (4, 2): result.append(.sackPermitted)
            case (5, _) where (length - 2) % 8 == 0:
                let blocks = stride(from: body, to: index + length, by: 8).map {
                    TCPOption.SACKBlock(left: bytes.be32(at: $0), right: bytes.be32(at: $0 + 4))
                }
                result.append(.sack(blocks))
            case (8, 10): result.append(.timestamps(value: bytes.be32(at: body), echoReply: bytes.be32(at: body + 4)))
            default: result.append(.other(kind: kind, data: Array(bytes[body..<index + length])))
            }
            index += length
        }
        return result
    }
}
