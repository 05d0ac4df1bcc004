import Glibc
import Fabric

/// The work a compare cannot avoid per unit, measured alone: what `compare.udp-pairs` and
/// `compare.tcp-resegmented` are judged against when a goal is missed.
///
/// Per UDP pair: two P-1 parses, two keys, two lookups in an open-addressing table, one memcmp
/// of the compared range and one release (the frame handed on and let go). Per TCP segment:
/// the parses, keys and lookups of its frames, the TCP fields, and a memcmp of every payload
/// byte once. No queues, no decisions, no events: whatever the engine spends above this is its
/// own bookkeeping.
enum CompareFloor {
    static func udpPairWork(_ workload: CompareBenchmarks.UDPWorkload) -> UInt64 {
        var table = FloorTable()
        var released: [Frame] = []
        released.reserveCapacity(1)
        var work: UInt64 = 0
        let flows = workload.primary.count
        var flow = 0
        for _ in 0..<workload.pairs {
            let p = workload.primary[flow]
            let s = workload.secondary[flow]
            guard case .success(let pl) = COLOPacketParser.parse(p), case .success(let sl) = COLOPacketParser.parse(s) else { continue }
            let slot = table.slot(for: ConnectionKey(bytes: p.bytes, layout: pl))
            work &+= UInt64(slot &+ table.slot(for: ConnectionKey(bytes: s.bytes, layout: sl)))
            let start = pl.transportOffset
            if p.count == s.count, equal(p.bytes, s.bytes, from: start, to: start, length: p.count - start) {
                released.append(p)
                released.removeAll(keepingCapacity: true)
                work &+= 1
            }
            flow += 1
            if flow == flows { flow = 0 }
        }
        return work
    }

    static func tcpSegmentWork(_ workload: CompareBenchmarks.TCPWorkload) -> UInt64 {
        var table = FloorTable()
        var work: UInt64 = 0
        // Each frame parsed, keyed, looked up, its TCP fields read.
        func fields(_ frame: Frame) -> (seq: UInt32, payloadStart: Int, payloadLength: Int)? {
            guard case .success(let layout) = COLOPacketParser.parse(frame) else { return nil }
            work &+= UInt64(table.slot(for: ConnectionKey(bytes: frame.bytes, layout: layout)))
            let tcp = layout.transportOffset
            let header = tcp + 4 * Int(frame.bytes.byte(at: tcp + 12) >> 4)
            let total = Int(frame.bytes.be16(at: layout.networkOffset + 2))
            work &+= UInt64(frame.bytes.be32(at: tcp + 8)) &+ UInt64(frame.bytes.byte(at: tcp + 13))
            return (frame.bytes.be32(at: tcp + 4), header, total - 4 * layout.ihl - (header - tcp))
        }
        let primary = workload.primary.compactMap(fields)
        let secondary = workload.secondary.compactMap(fields)
        // Every payload byte compared once: walk both streams, comparing where they overlap.
        var i = 0
        var j = 0
        while i < primary.count, j < secondary.count {
            let p = primary[i]
            let s = secondary[j]
            let start = max(p.seq, s.seq)
            let pEnd = p.seq &+ UInt32(p.payloadLength)
            let sEnd = s.seq &+ UInt32(s.payloadLength)
            let end = min(pEnd, sEnd)
            if end > start,
               equal(workload.primary[i].bytes, workload.secondary[j].bytes,
                     from: p.payloadStart + Int(start &- p.seq), to: s.payloadStart + Int(start &- s.seq), length: Int(end &- start)) {
                work &+= 1
            }
            if pEnd <= sEnd { i += 1 } else { j += 1 }
        }
        return work
    }

    private static func equal(_ a: [UInt8], _ b: [UInt8], from aStart: Int, to bStart: Int, length: Int) -> Bool {
        a.withUnsafeBytes { a in b.withUnsafeBytes { b in memcmp(a.baseAddress! + aStart, b.baseAddress! + bStart, length) == 0 } }
    }
}

/// An open-addressing key → slot table with a multiply-xorshift hash, as lean as a connection
/// lookup gets: the floor's "one table lookup".
private struct FloorTable {
    private var keys = [ConnectionKey?](repeating: nil, count: 256)
    private var used = 0

    mutating func slot(for key: ConnectionKey) -> Int {
        let words = UInt64(key.addressA.value) << 32 | UInt64(key.addressB.value)
        var h = (words ^ (UInt64(key.portWord) << 8 | UInt64(key.ipProtocol))) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        var slot = Int(truncatingIfNeeded: h) & (keys.count - 1)
        while let stored = keys[slot] {
            if stored == key { return slot }
            slot = (slot + 1) & (keys.count - 1)
        }
        if used < keys.count / 2 {
            keys[slot] = key
            used += 1
        }
        return slot
    }
}
