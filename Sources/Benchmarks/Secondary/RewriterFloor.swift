import Fabric
import Secondary

/// The work a rewriter cannot avoid per established frame, measured alone: what
/// `rewriter.established.64B` is judged against when its goal is missed.
///
/// Per frame: one P-1 parse, the key, one lookup in an open-addressing table, the private copy
/// of RW-5 (one allocation), the seq or ack field rewritten, the TCP checksum summed over the
/// pseudo-header and segment and stored (RW-13), and the copy handed on and let go. No rules,
/// no records, no events: whatever the engine spends above this is its own bookkeeping.
enum RewriterFloor {
    static func establishedFrameWork(frames: Int) -> UInt64 {
        var rewriter = FilterRewriter()
        let templates = RewriterBenchmarks.establish(&rewriter, connections: 64, payloadBytes: 64)
        var table = FloorTable()
        var work: UInt64 = 0
        var index = 0
        for _ in 0..<max(0, frames) {
            let (frame, side) = templates[index]
            index += 1
            if index == templates.count { index = 0 }
            guard case .success(let layout) = COLOPacketParser.parse(frame) else { continue }
            let reversed = side == .netdev
            let slot = table.slot(for: ConnectionKey(bytes: frame.bytes, layout: layout, reversed: reversed))
            let offset = UInt32(truncatingIfNeeded: slot) &* 0x0101_0101
            var copy = frame.bytes
            let ip = layout.networkOffset
            let tcp = layout.transportOffset
            let segmentLength = Int(copy.fastBE16(at: ip + 2)) - 4 * layout.ihl
            copy.withUnsafeMutableBytes { raw in
                let field = tcp + (reversed ? 8 : 4)
                let old = UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: field, as: UInt32.self))
                raw.storeBytes(of: (reversed ? old &+ offset : old &- offset).bigEndian, toByteOffset: field, as: UInt32.self)
                raw.storeBytes(of: 0, toByteOffset: tcp + 16, as: UInt16.self)
                let pseudo = InternetChecksum.pseudoHeader(
                    source: UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: ip + 12, as: UInt32.self)),
                    destination: UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: ip + 16, as: UInt32.self)),
                    protocol: IPProtocolNumber.tcp, length: segmentLength)
                let sum = ~InternetChecksum.add(pseudo, InternetChecksum.sum(UnsafeRawPointer(raw.baseAddress! + tcp), count: segmentLength))
                raw.storeBytes(of: sum.bigEndian, toByteOffset: tcp + 16, as: UInt16.self)
            }
            let out = Frame(copy, vnetHeaderLength: frame.vnetHeaderLength)
            work &+= UInt64(out.bytes[tcp + 16])
        }
        return work
    }
}
