import Fabric

extension TCPFlags {
    /// §8.2 flag classes: SYN set, ACK clear.
    var isSynOnly: Bool { intersection([.syn, .ack]) == .syn }
    /// SYN and ACK both set.
    var isSynAck: Bool { isSuperset(of: [.syn, .ack]) }
    /// ACK set, SYN clear (FIN, RST, PSH may be set).
    var isAckClass: Bool { intersection([.syn, .ack]) == .ack }
}

/// The TCP fields the rules read and write, located at the transport offset of P-1.6.
///
/// QEMU re-reads these fields from the packet at every rule, after earlier rules (and the
/// misplaced checksum write of RW-13) may have changed them; the rules do the same through
/// this accessor. Bytes past the frame read as zero and writes there are dropped.
struct TCPFields {
    let offset: Int

    func flags(_ bytes: [UInt8]) -> TCPFlags { TCPFlags(rawValue: bytes.byte(at: offset + 13)) }
    func seq(_ bytes: [UInt8]) -> UInt32 { bytes.fastBE32(at: offset + 4) }
    func ack(_ bytes: [UInt8]) -> UInt32 { bytes.fastBE32(at: offset + 8) }

    func setSeq(_ value: UInt32, in bytes: inout [UInt8]) { Self.store(value, at: offset + 4, in: &bytes) }
    func setAck(_ value: UInt32, in bytes: inout [UInt8]) { Self.store(value, at: offset + 8, in: &bytes) }

    static func store(_ value: UInt32, at position: Int, in bytes: inout [UInt8]) {
        if bytes.contains(offset: position, length: 4) {
            // One store; the buffer is made unique (copied if shared) once, not per byte.
            bytes.withUnsafeMutableBytes { $0.storeBytes(of: value.bigEndian, toByteOffset: position, as: UInt32.self) }
            return
        }
        for index in 0..<4 where position + index >= 0 && position + index < bytes.count {
            bytes[position + index] = UInt8(truncatingIfNeeded: value >> (24 - 8 * UInt32(index)))
        }
    }
}

/// Translates the SACK blocks of a segment in place (corrected profile only): QEMU leaves them.
enum SACKTranslator {
    /// Adds `offset` to both edges of every SACK block in the options of the TCP header at
    /// `tcp`. Malformed option lists end the walk; options past the frame are ignored.
    static func translate(_ bytes: inout [UInt8], tcpHeaderAt tcp: Int, by offset: UInt32) -> [SACKRewrite] {
        let headerLength = Int(bytes.byte(at: tcp + 12) >> 4) * 4
        let end = min(tcp + headerLength, bytes.count)
        var index = tcp + 20
        var rewrites: [SACKRewrite] = []
        while index < end {
            let kind = bytes[index]
            if kind == 0 { break }
            if kind == 1 { index += 1; continue }
            guard index + 1 < end else { break }
            let length = Int(bytes[index + 1])
            guard length >= 2, index + length <= end else { break }
            if kind == 5 && (length - 2) % 8 == 0 {
                for block in stride(from: index + 2, to: index + length, by: 8) {
                    let old = TCPOption.SACKBlock(left: bytes.be32(at: block), right: bytes.be32(at: block + 4))
                    let new = TCPOption.SACKBlock(left: old.left &+ offset, right: old.right &+ offset)
                    bytes.setBE32(new.left, at: block)
                    bytes.setBE32(new.right, at: block + 4)
                    rewrites.append(SACKRewrite(from: old, to: new))
                }
            }
            index += length
        }
        return rewrites
    }
}
