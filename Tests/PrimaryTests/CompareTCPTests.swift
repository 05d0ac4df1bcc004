import Testing
@testable import Fabric
@testable import Primary

@Suite("colo-compare TCP (C-8..C-13)")
struct CompareTCPTests {
    @Test("C-8: payload size counts Ethernet padding (quirk); fixed uses the IP total length")
    func paddingCountsAsPayload() {
        for (profile, matched) in [(CompareProfile.upstream, false), (.qemu62, false), (.fixed, true)] {
            var compare = COLOCompare.make(profile)
            let p = Net.tcp(seq: 1000, "hi") { $0.trailer = [0xAA, 0xAA, 0xAA, 0xAA] }
            let s = Net.tcp(seq: 1000, "hi") { $0.trailer = [0xBB, 0xBB, 0xBB, 0xBB] }
            _ = compare.receivePrimary(p, nowMs: 0)
            let actions = compare.receiveSecondary(s, nowMs: 0)
            #expect(actions.releases == (matched ? [0] : []), "\(profile)")
            #expect(actions.checkpointRequests.count == (matched ? 0 : 1), "\(profile)")
        }
    }

    @Test("C-8 (quirk): pack/sack hold the ack of the most recently inserted packet, not the maximum")
    func lastAckNotMaximum() {
        for (profile, expected) in [(CompareProfile.upstream, UInt32(500)), (.fixed, 1000)] {
            var compare = COLOCompare.make(profile)
            _ = compare.receivePrimary(Net.tcp(seq: 1, ack: 1000, "a"), nowMs: 0)
            _ = compare.receivePrimary(Net.tcp(seq: 2, ack: 500, "b"), nowMs: 0)
            #expect(compare.connectionSnapshots.first?.primaryMaxAck == expected, "\(profile)")
        }
    }

    @Test("C-8: only inserted packets update pack/sack (a refused packet does not)")
    func refusedPacketDoesNotUpdateAck() throws {
        let process = CompareProcess()
        try process.setMaxQueueSize(1)
        var compare = COLOCompare.make(process: process)
        _ = compare.receivePrimary(Net.tcp(seq: 1, ack: 10, "a"), nowMs: 0)
        _ = compare.receivePrimary(Net.tcp(seq: 2, ack: 20, "b"), nowMs: 0)
        _ = compare.receivePrimary(Net.tcp(seq: 3, ack: 30, "c"), nowMs: 0)
        #expect(compare.connectionSnapshots.first?.primaryMaxAck == 20)
    }

    @Test("C-9 (quirk): the ack gate is the plain unsigned min(pack, sack); fixed uses the circular minimum")
    func unsignedAckGate() {
        // Primary acked past the wrap (0x10); the secondary is behind it (0xFFFFFFF0).
        // Unsigned min = 0x10 lets the primary through; the circular gate is 0xFFFFFFF0 and holds it.
        for (profile, released) in [(CompareProfile.upstream, true), (.fixed, false)] {
            var compare = COLOCompare.make(profile)
            _ = compare.receivePrimary(Net.tcp(seq: 1000, ack: 0x10, "abc"), nowMs: 0)
            let actions = compare.receiveSecondary(Net.tcp(seq: 1000, ack: 0xFFFF_FFF0, "abcdef"), nowMs: 0)
            #expect(actions.releases == (released ? [0] : []), "\(profile)")
            if !released {
                #expect(actions.checkpointRequests.first?.reason == .ackGate(AckGateHold(
                    primaryIndex: 0, secondaryIndex: 0, primaryAck: 0x10, gate: 0xFFFF_FFF0,
                    primaryMaxAck: 0x10, secondaryMaxAck: 0xFFFF_FFF0)))
            }
        }
    }

    @Test("C-10: resegmentation — a long primary is matched by two secondaries (drop-secondary, then release-primary)")
    func resegmentation() {
        var compare = COLOCompare.make()
        #expect(compare.receivePrimary(Net.tcp(seq: 1000, "abcdef"), nowMs: 0).isEmpty)
        let first = compare.receiveSecondary(Net.tcp(seq: 1000, "abc"), nowMs: 0)
        #expect(first.drops == [CompareDrop(side: .secondary, index: 0, connection: first.drops.first?.connection, reason: .compared(primaryIndex: 0))])
        #expect(first.releases.isEmpty)
        #expect(compare.connectionSnapshots.first?.compareSeq == 1003)
        let second = compare.receiveSecondary(Net.tcp(seq: 1003, "def"), nowMs: 0)
        #expect(second.releaseReasons == [.matched(secondaryIndex: 1, how: .coveredBySecondary)])
        #expect(second.outdevIndices == [0])
        #expect(compare.connectionSnapshots.first?.compareSeq == 1006)
        // The secondary was put back with its offset at its end; the next comparison finds it
        // at or below compare_seq and drops it as a retransmission.
        #expect(compare.connectionSnapshots.first?.secondaryQueue == [1])
        let next = compare.receivePrimary(Net.tcp(seq: 1006, "g"), nowMs: 0)
        #expect(next.drops.map(\.reason) == [.retransmission(seqEnd: 1006, compareSeq: 1006)])
        #expect(compare.queuedPrimaryCount == 1)
    }

    @Test("C-10: a short primary is released against a longer secondary; the secondary keeps its offset")
    func shortPrimary() {
        var compare = COLOCompare.make()
        _ = compare.receiveSecondary(Net.tcp(seq: 1000, "abcdef"), nowMs: 0)
        let a = compare.receivePrimary(Net.tcp(seq: 1000, "abc"), nowMs: 0)
        #expect(a.releaseReasons == [.matched(secondaryIndex: 0, how: .coveredBySecondary)])
        let b = compare.receivePrimary(Net.tcp(seq: 1003, "def"), nowMs: 0)
        #expect(b.releaseReasons == [.matched(secondaryIndex: 0, how: .coveredBySecondary)])
        #expect(compare.queuedSecondaryCount == 1)
        #expect(compare.connectionSnapshots.first?.compareSeq == 1006)
    }

    @Test("C-10: on a mismatch both packets go back, one request is raised, nothing is released or dropped")
    func mismatchStalls() {
        var compare = COLOCompare.make()
        _ = compare.receivePrimary(Net.tcp(seq: 1000, "hello"), nowMs: 0)
        let actions = compare.receiveSecondary(Net.tcp(seq: 1000, "hellO"), nowMs: 0)
        #expect(actions.releases.isEmpty && actions.drops.isEmpty)
        #expect(actions.requestsLocalCheckpoint)
        guard case .payloadMismatch(let m) = actions.checkpointRequests.first?.reason else {
            Issue.record("expected a payload mismatch")
            return
        }
        #expect(m.rule == .primaryEndsFirst)
        #expect(m.detail == .bytesDiffer)
        #expect(m.difference?.index == 4)
        #expect(m.difference?.primaryByte == UInt8(ascii: "o") && m.difference?.secondaryByte == UInt8(ascii: "O"))
        #expect(m.differingSequence == 1004)
        #expect(m.difference?.primaryFrameOffset == 14 + 20 + 20 + 4)
        #expect(compare.queuedPrimaryCount == 1 && compare.queuedSecondaryCount == 1)
        // Every later arrival on the connection re-runs the comparison and asks again (C-18).
        let again = compare.receivePrimary(Net.tcp(seq: 1005, "x"), nowMs: 0)
        #expect(again.checkpointRequests.count == 1)
    }

    @Test("C-11.1: same range and payload match without the ack gate")
    func sameSegmentIgnoresGate() {
        var compare = COLOCompare.make()
        _ = compare.receivePrimary(Net.tcp(seq: 1000, ack: 900, "data"), nowMs: 0)
        let actions = compare.receiveSecondary(Net.tcp(seq: 1000, ack: 100, "data"), nowMs: 0)
        #expect(actions.releaseReasons == [.matched(secondaryIndex: 0, how: .sameSegment)])
        #expect(actions.drops.map(\.reason) == [.compared(primaryIndex: 0)])
    }

    @Test("C-11.2: equal data but the primary acks beyond the gate → checkpoint request (ack_gate)")
    func ackGateHolds() {
        var compare = COLOCompare.make()
        _ = compare.receivePrimary(Net.tcp(seq: 1000, ack: 900, "abc"), nowMs: 0)
        let actions = compare.receiveSecondary(Net.tcp(seq: 1000, ack: 100, "abcdef"), nowMs: 0)
        #expect(actions.releases.isEmpty)
        #expect(actions.checkpointRequests.map(\.reason.token) == ["ack_gate"])
        #expect(actions.checkpointRequests.first?.reason == .ackGate(AckGateHold(
            primaryIndex: 0, secondaryIndex: 0, primaryAck: 900, gate: 100, primaryMaxAck: 900, secondaryMaxAck: 100)))
    }

    @Test("C-11 (quirk): remainders are compared without checking alignment; fixed reports misaligned")
    func unalignedRemainders() {
        for (profile, released) in [(CompareProfile.upstream, true), (.fixed, false)] {
            var compare = COLOCompare.make(profile)
            _ = compare.receivePrimary(Net.tcp(seq: 1000, "abc"), nowMs: 0)
            let actions = compare.receiveSecondary(Net.tcp(seq: 1001, "abcd"), nowMs: 0)
            #expect(actions.releases == (released ? [0] : []), "\(profile)")
            if case .payloadMismatch(let m) = actions.checkpointRequests.first?.reason {
                #expect(m.detail == .misaligned)
            } else {
                #expect(released)
            }
        }
    }

    @Test("C-11 (quirk pastFrameReads): a comparison running past a frame — heap garbage, fresh heap, or bounds-checked")
    func pastFrameReads() {
        // p covers 1000..<1010, s only 1005..<1010: rule 2 compares 10 bytes from s's payload start,
        // 5 of which lie past s's 59-byte frame (inside its 72-byte malloc chunk).
        let primary = Net.tcp(seq: 1000, bytes: Array("vwxyz".utf8) + [0, 0, 0, 0, 0])
        let secondary = Net.tcp(seq: 1005, "vwxyz")
        func run(_ mode: PastFrameReads) -> [CompareAction] {
            var quirks = CompareQuirks.upstream
            quirks.pastFrameReads = mode
            var compare = COLOCompare.make(CompareProfile(name: mode.rawValue, quirks: quirks))
            _ = compare.receivePrimary(primary, nowMs: 0)
            return compare.receiveSecondary(secondary, nowMs: 0)
        }
        // Upstream default: heap garbage never compares equal.
        #expect(CompareProfile.upstream.quirks.pastFrameReads == .heapGarbage)
        guard case .payloadMismatch(let garbage) = run(.heapGarbage).checkpointRequests.first?.reason else {
            Issue.record("expected a mismatch")
            return
        }
        #expect(garbage.detail == .bytesDiffer)
        #expect(garbage.difference?.index == 5 && garbage.difference?.secondaryByte == nil && garbage.difference?.primaryByte == 0)
        // A fresh QEMU: the chunk's slack reads as zero, so the bytes match.
        #expect(run(.freshHeap).releases == [0])
        // Corrected: refused as out of range.
        guard case .payloadMismatch(let bounded) = run(.boundsChecked).checkpointRequests.first?.reason else {
            Issue.record("expected a mismatch")
            return
        }
        #expect(bounded.detail == .outOfRange)
    }

    @Test("C-11 (quirk pastFrameReads = fresh_heap): zeros only up to glibc's usable size of the packet's chunk")
    func freshHeapStopsAtChunkEnd() {
        #expect(ByteRangeComparison.mallocUsableSize(59) == 72)
        #expect(ByteRangeComparison.mallocUsableSize(1) == 24)
        var quirks = CompareQuirks.upstream
        quirks.pastFrameReads = .freshHeap
        for (zeros, released) in [(13, true), (14, false)] {
            var compare = COLOCompare.make(CompareProfile(name: "fresh", quirks: quirks))
            _ = compare.receivePrimary(Net.tcp(seq: 1000, bytes: Array("vwxyz".utf8) + [UInt8](repeating: 0, count: zeros)), nowMs: 0)
            let actions = compare.receiveSecondary(Net.tcp(seq: 1000 + UInt32(zeros), "vwxyz"), nowMs: 0)
            #expect(actions.releases == (released ? [0] : []), "\(zeros) bytes past the frame")
        }
    }

    @Test("C-11.3: a primary longer than the secondary advances its offset and drops the secondary")
    func primaryExtends() {
        var compare = COLOCompare.make()
        _ = compare.receivePrimary(Net.tcp(seq: 1000, "abcdef"), nowMs: 0)
        let actions = compare.receiveSecondary(Net.tcp(seq: 1000, "abX"), nowMs: 0)
        guard case .payloadMismatch(let m) = actions.checkpointRequests.first?.reason else {
            Issue.record("expected a mismatch")
            return
        }
        #expect(m.rule == .primaryExtends)
        #expect(m.comparedLength == 3)
        #expect(m.difference?.index == 2)
    }

    @Test("C-12: headers, options, flags, window, checksums, IP fields, MACs and vnet bytes are not compared")
    func onlyPayloadCompared() {
        var compare = COLOCompare.make(vnet: true)
        let p = Net.tcp(seq: 1000, bytes: Array("same".utf8), flags: [.ack, .psh], options: [.timestamps(value: 1, echoReply: 2)],
                        window: 100) {
            $0.identification = 1; $0.ttl = 64; $0.vnetHeader = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        }
        let s = Net.tcp(seq: 1000, bytes: Array("same".utf8), flags: [.ack, .fin], options: [],
                        window: 200) {
            $0.identification = 2; $0.ttl = 63; $0.tos = 4; $0.sourceMAC = MACAddress([2, 0, 0, 0, 0, 9])
            $0.vnetHeader = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        }
        _ = compare.receivePrimary(p, nowMs: 0)
        let actions = compare.receiveSecondary(s, nowMs: 0)
        #expect(actions.releaseReasons == [.matched(secondaryIndex: 0, how: .sameSegment)])
        #expect(actions.writes.first?.frame == p)
    }

    @Test("C-13: a primary without payload waits for any secondary packet, then goes out uncompared")
    func pureAckWaitsForSecondary() {
        var compare = COLOCompare.make()
        let ack = compare.receivePrimary(Net.tcp(seq: 1000, ack: 50, "", flags: [.ack]), nowMs: 0)
        #expect(ack.isEmpty)
        let actions = compare.receiveSecondary(Net.tcp(seq: 1000, ack: 50, "", flags: [.ack]), nowMs: 0)
        #expect(actions.releaseReasons == [.noPayload(flags: TCPFlags.ack.rawValue)])
        #expect(actions.drops.map(\.reason) == [.noPayload])
    }

    @Test("C-13: SYN and FIN get no special handling; a secondary without payload is discarded at the front")
    func controlSegments() {
        var compare = COLOCompare.make()
        _ = compare.receiveSecondary(Net.tcp(seq: 999, "", flags: [.syn, .ack]), nowMs: 0)
        _ = compare.receiveSecondary(Net.tcp(seq: 1000, "data"), nowMs: 0)
        let syn = compare.receivePrimary(Net.tcp(seq: 999, "", flags: [.syn, .ack]), nowMs: 0)
        #expect(syn.releaseReasons == [.noPayload(flags: TCPFlags([.syn, .ack]).rawValue)])
        #expect(syn.drops.map(\.reason) == [.noPayload])
        let data = compare.receivePrimary(Net.tcp(seq: 1000, "data", flags: [.ack, .fin]), nowMs: 0)
        #expect(data.releaseReasons == [.matched(secondaryIndex: 1, how: .sameSegment)])
        #expect(compare.connectionSnapshots.count == 1)   // never retired
    }

    @Test("C-13: primary retransmissions at or below compare_seq are released uncompared; secondary ones dropped")
    func retransmissions() {
        var compare = COLOCompare.make()
        _ = compare.receivePrimary(Net.tcp(seq: 1000, "abcd"), nowMs: 0)
        _ = compare.receiveSecondary(Net.tcp(seq: 1000, "abcd"), nowMs: 0)
        _ = compare.receivePrimary(Net.tcp(seq: 1000, "ZZZZ"), nowMs: 0)   // differs, but already covered
        let actions = compare.receiveSecondary(Net.tcp(seq: 1002, "cd"), nowMs: 0)
        #expect(actions.releaseReasons == [.retransmission(seqEnd: 1004, compareSeq: 1004)])
        #expect(actions.drops.map(\.reason) == [.retransmission(seqEnd: 1004, compareSeq: 1004)])
        #expect(actions.checkpointRequests.isEmpty)
    }

    @Test("C-13 (quirk): compare_seq of exactly 0 reads as unset, so covered data is compared again")
    func zeroCompareSeq() {
        for (profile, reason) in [(CompareProfile.upstream, "matched"), (.fixed, "retransmission")] {
            var compare = COLOCompare.make(profile)
            _ = compare.receivePrimary(Net.tcp(seq: 0xFFFF_FFFD, "end"), nowMs: 0)
            _ = compare.receiveSecondary(Net.tcp(seq: 0xFFFF_FFFD, "end"), nowMs: 0)
            #expect(compare.connectionSnapshots.first?.compareSeq == 0)
            _ = compare.receivePrimary(Net.tcp(seq: 0xFFFF_FFFD, "end"), nowMs: 0)
            let actions = compare.receiveSecondary(Net.tcp(seq: 0xFFFF_FFFD, "end"), nowMs: 0)
            #expect(actions.releaseReasons.map(\.token) == [reason], "\(profile)")
        }
    }

    @Test("C-13: compare_seq, pack and sack survive a checkpoint; only the queues are emptied")
    func stateSurvivesCheckpoint() {
        var compare = COLOCompare.make()
        _ = compare.receivePrimary(Net.tcp(seq: 1000, ack: 7, "abcd"), nowMs: 0)
        _ = compare.receiveSecondary(Net.tcp(seq: 1000, ack: 8, "abcd"), nowMs: 0)
        _ = compare.receivePrimary(Net.tcp(seq: 1004, ack: 9, "x"), nowMs: 0)
        _ = compare.checkpoint(nowMs: 0)
        let snapshot = compare.connectionSnapshots.first
        #expect(snapshot?.compareSeq == 1004)
        #expect(snapshot?.primaryMaxAck == 9 && snapshot?.secondaryMaxAck == 8)
        #expect(snapshot?.primaryQueue == [] && snapshot?.secondaryQueue == [])
    }
}
