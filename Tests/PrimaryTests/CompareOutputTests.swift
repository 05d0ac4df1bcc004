import Testing
@testable import Fabric
@testable import Primary

@Suite("colo-compare output channel (C-23..C-25)")
struct CompareOutputTests {
    /// Three unparseable primary records: each is sent as soon as it arrives (C-3).
    static let records = (0..<4).map { Frame([UInt8](repeating: UInt8($0 + 1), count: 20 + $0)) }

    @Test("C-23: with a writable peer each record is written before the call returns, in call order")
    func writableInOrder() {
        var compare = COLOCompare.make()
        var all: [CompareAction] = []
        for frame in Self.records {
            let actions = compare.receivePrimary(frame, nowMs: 0)
            #expect(actions.writes.count == 1)
            all += actions
        }
        #expect(all.outdevIndices == [0, 1, 2, 3])
        #expect(compare.pendingOutputCount == 0)
    }

    @Test("C-24 (quirk): records queued behind a blocked peer drain newest first; qemu-6.2 and fixed keep call order")
    func blockedDrainOrder() {
        for (profile, expected) in [(CompareProfile.upstream, [0, 3, 2, 1]), (.qemu62, [0, 1, 2, 3]), (.fixed, [0, 1, 2, 3])] {
            var compare = COLOCompare.make(profile)
            #expect(compare.setPeerState(.blocked, for: .outdev).isEmpty)
            for frame in Self.records {
                let actions = compare.receivePrimary(frame, nowMs: 0)
                #expect(actions.writes.isEmpty && actions.releases.count == 1)
            }
            #expect(compare.pendingOutputCount == 4)
            // Record 0 is the one the drain was writing when it blocked: it finishes first.
            let drained = compare.setPeerState(.writable, for: .outdev)
            #expect(drained.outdevIndices.compactMap { $0 } == expected, "\(profile)")
            #expect(compare.pendingOutputCount == 0)
        }
    }

    @Test("C-25: a failed write discards that record and every queued one; the next send starts a fresh drain")
    func failedWriteDiscardsQueue() {
        var compare = COLOCompare.make()
        _ = compare.setPeerState(.blocked, for: .outdev)
        for frame in Self.records.prefix(3) { _ = compare.receivePrimary(frame, nowMs: 0) }
        let failed = compare.setPeerState(.failing, for: .outdev)
        #expect(failed.writes.isEmpty)
        #expect(failed.drops.map(\.reason) == [.writeFailed, .writeFailed, .writeFailed])
        #expect(failed.drops.map(\.index) == [0, 2, 1])
        #expect(compare.pendingOutputCount == 0)
        let stillFailing = compare.receivePrimary(Self.records[3], nowMs: 0)
        #expect(stillFailing.drops.map(\.index) == [3])
        _ = compare.setPeerState(.writable, for: .outdev)
        let fresh = compare.receivePrimary(Self.records[0], nowMs: 0)
        #expect(fresh.outdevIndices == [4])
    }

    @Test("W-4: outdev records carry the V of their own input record, and the V field iff vnet_hdr_support")
    func outdevCarriesInputV() {
        for vnet in [false, true] {
            var compare = COLOCompare.make(vnet: vnet)
            var b = Net.builder
            b.vnetHeader = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
            let p = b.udp(sourcePort: 1, destinationPort: 2, payload: [1, 2, 3])
            _ = compare.receivePrimary(p, nowMs: 0)
            let actions = compare.receiveSecondary(p, nowMs: 0)
            #expect(actions.writes == [CompareWrite(channel: .outdev, frame: p, carriesVnetField: vnet, primaryIndex: 0)])
            #expect(actions.writes.first?.frame.vnetHeaderLength == 12)
        }
    }
}
