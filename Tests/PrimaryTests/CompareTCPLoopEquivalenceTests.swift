import LockstepTestSupport
import Testing
@testable import Fabric
@testable import Primary

/// The TCP loop judges packets where they lie in the queues. This is the loop it replaced,
/// which moved each packet out of its queue and back the way QEMU's code reads; both must give
/// the same decisions and leave the same queues.
extension CompareConnection {
    mutating func compareTCPMovingPackets(quirks: CompareQuirks, sink: inout DecisionSink) {
        let gate = ackGate(quirks)
        let tail = consumesFromTail(quirks)
        var current: QueuedPacket?
        while true {
            if current == nil {
                guard let next = CompareConnection.take(from: &primary, tail: tail) else { return }
                current = next
            }
            guard var s = CompareConnection.take(from: &secondary, tail: tail) else {
                if let p = current { CompareConnection.putBack(p, into: &primary, tail: tail) }
                return
            }
            if let p = current, !p.hasPayload {
                sink.release(p, connection: key, reason: .noPayload(flags: p.flags))
                current = nil
            }
            if let p = current, hasCompareSeq(quirks), !later(p.seqEnd, compareSeq) {
                sink.release(p, connection: key, reason: .retransmission(seqEnd: p.seqEnd, compareSeq: compareSeq))
                current = nil
            }
            if !s.hasPayload {
                sink.drop(.secondary, index: s.index, connection: key, reason: .noPayload)
                continue
            }
            if hasCompareSeq(quirks), !later(s.seqEnd, compareSeq) {
                sink.drop(.secondary, index: s.index, connection: key, reason: .retransmission(seqEnd: s.seqEnd, compareSeq: compareSeq))
                continue
            }
            guard var p = current else {
                CompareConnection.putBack(s, into: &secondary, tail: tail)
                continue
            }
            switch CompareConnection.judge(&p, &s, gate: gate, maxAcks: (primaryMaxAck, secondaryMaxAck), quirks: quirks, mutant: nil) {
            case .releasePrimary:
                setCompareSeq(p.seqEnd)
                sink.release(p, connection: key, reason: .matched(secondaryIndex: s.index, how: .coveredBySecondary))
                CompareConnection.putBack(s, into: &secondary, tail: tail)
                current = nil
            case .dropSecondary:
                setCompareSeq(s.seqEnd)
                sink.drop(.secondary, index: s.index, connection: key, reason: .compared(primaryIndex: p.index))
                current = p
            case .both:
                setCompareSeq(p.seqEnd)
                sink.release(p, connection: key, reason: .matched(secondaryIndex: s.index, how: .sameSegment))
                sink.drop(.secondary, index: s.index, connection: key, reason: .compared(primaryIndex: p.index))
                current = nil
            case .mismatch(let reason):
                CompareConnection.putBack(p, into: &primary, tail: tail)
                CompareConnection.putBack(s, into: &secondary, tail: tail)
                sink.requestCheckpoint(key, reason: reason)
                return
            }
        }
    }
}

@Suite("colo-compare TCP loop judges packets in place as QEMU's pop-and-push-back loop does")
struct CompareTCPLoopEquivalenceTests {
    struct Arrival {
        var side: CompareSide
        var frame: Frame
    }

    /// One connection's traffic: the same stream cut differently on each side, with
    /// corrupted bytes, retransmissions, pure ACKs, zero-length and wrapping sequence numbers,
    /// changing acks, and arrivals shuffled within a small window (so queues build up and
    /// the sorted insertion matters).
    static func arrivals(seed: UInt64) -> [Arrival] {
        var rng = SeededGenerator(seed: seed)
        let length = Int.random(in: 0...4000, using: &rng)
        let stream = (0..<length).map { _ in UInt8.random(in: 97...99, using: &rng) }
        let isn: UInt32 = Bool.random(using: &rng) ? UInt32.max &- UInt32.random(in: 0...3000, using: &rng)
            : UInt32.random(in: 0...UInt32.max, using: &rng)
        var sides: [[Arrival]] = [[], []]
        for (slot, side) in [CompareSide.primary, .secondary].enumerated() {
            var position = 0
            while position < stream.count {
                let size = min(stream.count - position, Int.random(in: 1...1500, using: &rng))
                var bytes = Array(stream[position..<position + size])
                if Int.random(in: 0..<12, using: &rng) == 0 { bytes[Int.random(in: 0..<size, using: &rng)] ^= 0x20 }
                let ack = UInt32.random(in: 1...4, using: &rng)
                let frame = Net.tcp(seq: isn &+ UInt32(position), ack: ack, bytes: bytes)
                sides[slot].append(Arrival(side: side, frame: frame))
                switch Int.random(in: 0..<10, using: &rng) {
                case 0: sides[slot].append(Arrival(side: side, frame: frame))
                case 1: sides[slot].append(Arrival(side: side, frame: Net.tcp(seq: isn &+ UInt32(position + size), ack: ack, bytes: [], flags: [.ack])))
                default: break
                }
                position += size
            }
        }
        var merged: [Arrival] = []
        var p = 0
        var s = 0
        while p < sides[0].count || s < sides[1].count {
            let takePrimary = s == sides[1].count || (p < sides[0].count && Bool.random(using: &rng))
            if takePrimary { merged.append(sides[0][p]); p += 1 } else { merged.append(sides[1][s]); s += 1 }
        }
        // Local reordering.
        for index in merged.indices.dropLast() where Int.random(in: 0..<6, using: &rng) == 0 {
            merged.swapAt(index, index + 1)
        }
        return merged
    }

    @Test("C-7..C-13: the in-place TCP loop decides and leaves the queues exactly as the pop-and-push-back loop",
          arguments: CompareProfile.all)
    func sameDecisionsAndQueues(profile: CompareProfile) throws {
        let quirks = profile.quirks
        for seed in UInt64(1)...150 {
            let arrivals = Self.arrivals(seed: seed)
            guard let first = arrivals.first, case .success(let firstLayout) = COLOPacketParser.parse(first.frame) else { continue }
            let key = ConnectionKey(bytes: first.frame.bytes, layout: firstLayout)
            var inPlace = CompareConnection(key: key)
            var moving = CompareConnection(key: key)
            var inPlaceSink = DecisionSink(vnetHeaderSupport: false, hasNotifyDev: false, quirks: profile.quirks)
            var movingSink = DecisionSink(vnetHeaderSupport: false, hasNotifyDev: false, quirks: profile.quirks)
            var counts = [CompareSide.primary: 0, .secondary: 0]
            for (step, arrival) in arrivals.enumerated() {
                let layout = try COLOPacketParser.parse(arrival.frame).get()
                let index = counts[arrival.side, default: 0]
                counts[arrival.side] = index + 1
                for connection in [0, 1] {
                    let packet = QueuedPacket(frame: arrival.frame, index: index, creationMs: 0, layout: layout)
                    if connection == 0 {
                        let length = arrival.side == .primary ? inPlace.primary.count : inPlace.secondary.count
                        _ = inPlace.insert(packet, side: arrival.side, queueLength: length, maxQueueSize: 1024, quirks: quirks)
                        inPlace.compareTCP(quirks: quirks, mutant: nil, sink: &inPlaceSink)
                    } else {
                        let length = arrival.side == .primary ? moving.primary.count : moving.secondary.count
                        _ = moving.insert(packet, side: arrival.side, queueLength: length, maxQueueSize: 1024, quirks: quirks)
                        moving.compareTCPMovingPackets(quirks: quirks, sink: &movingSink)
                    }
                }
                let where_ = "\(profile) seed \(seed) step \(step)"
                #expect(inPlaceSink.actions == movingSink.actions, "\(where_): actions differ")
                #expect(inPlace.primary.map { [$0.index, $0.offset] } == moving.primary.map { [$0.index, $0.offset] }, "\(where_): primary queue")
                #expect(inPlace.secondary.map { [$0.index, $0.offset] } == moving.secondary.map { [$0.index, $0.offset] }, "\(where_): secondary queue")
                #expect(inPlace.compareSeq == moving.compareSeq && inPlace.compareSeqSet == moving.compareSeqSet, "\(where_): compare_seq")
                guard inPlaceSink.actions == movingSink.actions else { return }
            }
        }
    }
}

@Suite("colo-compare queue insertion")
struct CompareQueueInsertionTests {
    @Test("C-7: inserting into a queue at any position gives Array.insert's order")
    func insertMatchesArrayInsert() throws {
        let frame = Net.tcp(seq: 1, bytes: [1])
        let layout = try COLOPacketParser.parse(frame).get()
        for count in 0...20 {
            for position in 0...count {
                var queue = PacketQueue((0..<count).map { QueuedPacket(frame: frame, index: $0, creationMs: 0, layout: layout) })
                var expected = queue.map(\.index)
                expected.insert(100, at: position)
                CompareConnection.insert(QueuedPacket(frame: frame, index: 100, creationMs: 0, layout: layout), into: &queue, at: position)
                #expect(queue.map(\.index) == expected, "count \(count) position \(position)")
            }
        }
    }
}
