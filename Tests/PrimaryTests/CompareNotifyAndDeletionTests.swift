import Testing
@testable import Fabric
@testable import Primary

@Suite("colo-compare notify_dev and deletion (C-26..C-28)")
struct CompareNotifyAndDeletionTests {
    static func record(_ text: String) -> Frame { Frame(Array(text.utf8)) }

    @Test("C-26: COLO_USERSPACE_PROXY_INIT is answered with COLO_COMPARE_GET_XEN_INIT on notify_dev, without V")
    func proxyInit() {
        var compare = COLOCompare.make(vnet: true, notify: true)
        let actions = compare.receiveNotify(Frame(Array("COLO_USERSPACE_PROXY_INIT".utf8), vnetHeaderLength: 0), nowMs: 0)
        #expect(actions.events == [.notifyReceived(.proxyInit)])
        #expect(actions.notifyMessages == ["COLO_COMPARE_GET_XEN_INIT"])
        #expect(actions.writes.allSatisfy { !$0.carriesVnetField && $0.frame.vnetHeaderLength == 0 })
    }

    @Test("C-26: COLO_CHECKPOINT flushes exactly as a checkpoint")
    func notifyCheckpoint() {
        var compare = COLOCompare.make(notify: true)
        _ = compare.receivePrimary(Net.udp("a"), nowMs: 0)
        _ = compare.receiveSecondary(Net.udp("b"), nowMs: 0)
        let actions = compare.receiveNotify(Self.record("COLO_CHECKPOINT"), nowMs: 1)
        #expect(actions.events.prefix(2) == [.notifyReceived(.checkpoint), .flush(.notifyCheckpoint)])
        #expect(actions.releases == [0])
        #expect(actions.drops.map(\.reason) == [.checkpointFlush])
    }

    @Test("C-26: matching is by exact length and bytes; anything else is ignored")
    func unsupported() {
        var compare = COLOCompare.make(notify: true)
        _ = compare.receivePrimary(Net.udp("a"), nowMs: 0)
        for text in ["COLO_CHECKPOINT\0", "colo_checkpoint", "COLO_CHECKPOIN", "DO_CHECKPOINT", ""] {
            let actions = compare.receiveNotify(Self.record(text), nowMs: 0)
            #expect(actions.events == [.notifyReceived(.unsupported(length: text.utf8.count))], "\(text)")
        }
        #expect(compare.queuedPrimaryCount == 1)
    }

    @Test("C-26: without notify_dev nothing reads notify records")
    func noNotifyDev() {
        var compare = COLOCompare.make()
        _ = compare.receivePrimary(Net.udp("a"), nowMs: 0)
        #expect(compare.receiveNotify(Self.record("COLO_CHECKPOINT"), nowMs: 0).isEmpty)
        #expect(compare.queuedPrimaryCount == 1)
    }

    @Test("C-27/W-4: DO_CHECKPOINT goes out as 13 bytes with no V field, even with vnet_hdr_support")
    func doCheckpointFraming() {
        var compare = COLOCompare.make(vnet: true, notify: true)
        _ = compare.receivePrimary(Net.udp("a"), nowMs: 0)
        let actions = compare.receiveSecondary(Net.udp("b"), nowMs: 0)
        #expect(actions.notifyMessages == ["DO_CHECKPOINT"])
        #expect(actions.writes.first?.carriesVnetField == false)
        #expect(compare.framing.notifyInboundCarriesVnetField && !compare.framing.notifyOutboundCarriesVnetField)
    }

    @Test("C-28: deletion stops the timer, flushes (primaries released, not lost) and reads nothing more")
    func deletion() {
        var compare = COLOCompare.make()
        _ = compare.receivePrimary(Net.tcp(seq: 5, "x"), nowMs: 0)
        _ = compare.receiveSecondary(Net.udp("s"), nowMs: 0)
        let actions = compare.delete(nowMs: 10)
        #expect(actions.events.first == .flush(.deletion))
        #expect(actions.releaseReasons == [.deletionFlush])
        #expect(actions.outdevIndices == [0])
        #expect(actions.drops.map(\.reason) == [.deletionFlush])
        #expect(compare.isDeleted && compare.nextScanDeadlineMs == nil)
        #expect(compare.connectionSnapshots.isEmpty)
        let late = compare.receivePrimary(Net.udp("late"), nowMs: 11)
        #expect(late.drops == [CompareDrop(side: .primary, index: 1, connection: nil, reason: .compareDeleted)])
        #expect(compare.scanTimerFired(nowMs: 9999).isEmpty)
        #expect(compare.delete(nowMs: 12).isEmpty)
    }

    @Test("C-28: output blocked at deletion stays pending and is written when the peer drains")
    func deletionWaitsForOutput() {
        var compare = COLOCompare.make()
        _ = compare.setPeerState(.blocked, for: .outdev)
        _ = compare.receivePrimary(Net.udp("a"), nowMs: 0)
        _ = compare.receivePrimary(Net.udp("b"), nowMs: 0)
        let deleted = compare.delete(nowMs: 1)
        #expect(deleted.releases == [1, 0] && deleted.writes.isEmpty)
        #expect(compare.pendingOutputCount == 2)
        #expect(compare.setPeerState(.writable, for: .outdev).outdevIndices.count == 2)
    }
}
