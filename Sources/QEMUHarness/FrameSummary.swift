import Fabric

/// One-line human description of a frame for printed transcripts
/// ("TCP 10.0.0.1:80>10.0.0.9:40000 seq=1 ack=2 [AP] len=5 #a1b2c3d4").
/// Bounds-checked: any frame, however short or odd, gets a description.
public enum FrameSummary {
    public static func describe(_ frame: Frame) -> String {
        let bytes = frame.bytes
        let base = Int(min(frame.vnetHeaderLength, 64))
        let vnet = frame.vnetHeaderLength == 0 ? "" : "V=\(frame.vnetHeaderLength) "
        let tail = " \(frame.count)B #\(fingerprint(bytes))"
        guard bytes.count >= base + 14 else { return "\(vnet)runt" + tail }
        let etherType = be16(bytes, base + 12)
        guard etherType == 0x0800, bytes.count >= base + 34 else {
            return "\(vnet)ethertype=0x\(String(etherType, radix: 16))" + tail
        }
        let ip = base + 14
        let headerLength = Int(bytes[ip] & 0x0f) * 4
        let protocolNumber = bytes[ip + 9]
        let source = bytes[(ip + 12)..<(ip + 16)].map(String.init).joined(separator: ".")
        let destination = bytes[(ip + 16)..<(ip + 20)].map(String.init).joined(separator: ".")
        let transport = ip + headerLength
        switch protocolNumber {
        case 6 where bytes.count >= transport + 20:
            let flags = bytes[transport + 13]
            let names: [(UInt8, Character)] = [(0x02, "S"), (0x01, "F"), (0x04, "R"), (0x08, "P"), (0x10, "A"), (0x20, "U")]
            let flagText = String(names.filter { flags & $0.0 != 0 }.map(\.1))
            let payload = bytes.count - transport - Int(bytes[transport + 12] >> 4) * 4
            return "\(vnet)TCP \(source):\(be16(bytes, transport))>\(destination):\(be16(bytes, transport + 2))"
                + " seq=\(be32(bytes, transport + 4)) ack=\(be32(bytes, transport + 8)) [\(flagText)] len=\(payload)" + tail
        case 17 where bytes.count >= transport + 8:
            return "\(vnet)UDP \(source):\(be16(bytes, transport))>\(destination):\(be16(bytes, transport + 2))" + tail
        default:
            return "\(vnet)IPv4 proto=\(protocolNumber) \(source)>\(destination)" + tail
        }
    }

    /// FNV-1a over the bytes: equal fingerprints make "same frame" visible when reading a diff.
    static func fingerprint(_ bytes: [UInt8]) -> String {
        var hash: UInt32 = 0x811c_9dc5
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
        let text = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - text.count) + text
    }

    static func be16(_ bytes: [UInt8], _ index: Int) -> UInt16 {
        UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
    }

    static func be32(_ bytes: [UInt8], _ index: Int) -> UInt32 {
        UInt32(be16(bytes, index)) << 16 | UInt32(be16(bytes, index + 2))
    }
}
