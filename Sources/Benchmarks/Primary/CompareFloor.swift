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

    /// One payload comparison of the TCP floor: frame indices and byte offsets.
    struct PayloadCompare {
        var primary: Int
        var primaryStart: Int
        var secondary: Int
        var secondaryStart: Int
        var length: Int
    }

    /// Where each primary payload byte meets the same stream byte in a secondary frame, worked
    /// out once so that `payloadMemcmp` times only the comparisons.
    static func payloadCompares(_ workload: CompareBenchmarks.TCPWorkload) -> [PayloadCompare] {
        var compares: [PayloadCompare] = []
        let bytes = workload.segmentBytes
        var secondaryStart = 0
        var starts: [Int] = []
        for frame in workload.secondary {
            starts.append(secondaryStart)
            secondaryStart += frame.count - 54
        }
        var j = 0
        for i in workload.primary.indices {
            var position = i * bytes
            let end = position + workload.primary[i].count - 54
            while position < end {
                while starts[j] + workload.secondary[j].count - 54 <= position { j += 1 }
                let sEnd = starts[j] + workload.secondary[j].count - 54
                let length = min(end, sEnd) - position
                compares.append(PayloadCompare(primary: i, primaryStart: 54 + position - i * bytes,
                                               secondary: j, secondaryStart: 54 + position - starts[j], length: length))
                position += length
            }
        }
        return compares
    }

    /// The memory floor of the TCP case: every payload byte of both streams read once by memcmp.
    static func payloadMemcmp(_ workload: CompareBenchmarks.TCPWorkload, _ compares: [PayloadCompare]) -> UInt64 {
        var equalCount: UInt64 = 0
        for compare in compares where equal(workload.primary[compare.primary].bytes, workload.secondary[compare.secondary].bytes,
                                            from: compare.primaryStart, to: compare.secondaryStart, length: compare.length) {
            equalCount += 1
        }
        return equalCount
    }

    private static func equal(_ a: [UInt8], _ b: [UInt8], from aStart: Int, to bStart: Int, length: Int) -> Bool {
        a.withUnsafeBytes { a in b.withUnsafeBytes { b in memcmp(a.baseAddress! + aStart, b.baseAddress! + bStart, length) == 0 } }
    }
}
