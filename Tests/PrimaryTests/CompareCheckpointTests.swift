import Testing
@testable import Fabric
@testable import Primary

@Suite("colo-compare checkpoint requests, timeout scan and events (C-18..C-22)")
struct CompareCheckpointTests {
    @Test("C-18: without notify_dev a request notifies the local listeners; nothing is released or dropped")
    func localRequest() {
        var compare = COLOCompare.make()
        _ = compare.receivePrimary(Net.udp("a"), nowMs: 0)
        let actions = compare.receiveSecondary(Net.udp("b"), nowMs: 0)
        #expect(actions.requestsLocalCheckpoint)
        #expect(actions.checkpointRequests.map(\.delivery) == [.local])
        #expect(actions.writes.isEmpty && actions.releases.isEmpty && actions.drops.isEmpty)
        #expect(compare.checkpointRequestCount == 1)
    }

    @Test("C-18/C-27: with notify_dev a request is DO_CHECKPOINT on notify_dev, and the local framework is not told")
    func notifyDevRequest() {
        var compare = COLOCompare.make(vnet: true, notify: true)
        _ = compare.receivePrimary(Net.udp("a"), nowMs: 0)
        let actions = compare.receiveSecondary(Net.udp("b"), nowMs: 0)
        #expect(!actions.requestsLocalCheckpoint)
        #expect(actions.checkpointRequests.map(\.delivery) == [.notifyDev])
        #expect(actions.writes == [CompareWrite(channel: .notifyDev, frame: Frame(Array("DO_CHECKPOINT".utf8)),
                                                carriesVnetField: false, primaryIndex: nil)])
        #expect(actions.writes.first?.frame.count == 13)
    }

    @Test("C-19: the scan first fires expired_scan_cycle after completion and re-arms from the time it ran")
    func scanTimer() {
        var compare = COLOCompare.make(scan: 1000)
        #expect(compare.nextScanDeadlineMs == 1000)
        #expect(compare.advanceTime(toMs: 999).isEmpty)
        #expect(compare.nextScanDeadlineMs == 1000)
        _ = compare.advanceTime(toMs: 1500)
        #expect(compare.nextScanDeadlineMs == 2500)
        _ = compare.scanTimerFired(nowMs: 2600)
        #expect(compare.nextScanDeadlineMs == 3600)
    }

    @Test("C-19: a packet counts as stuck only when its age is strictly greater than compare_timeout")
    func strictTimeout() {
        var compare = COLOCompare.make(timeout: 3000)
        _ = compare.receivePrimary(Net.udp("lonely"), nowMs: 0)
        #expect(compare.scanTimerFired(nowMs: 3000).checkpointRequests.isEmpty)
        let late = compare.scanTimerFired(nowMs: 3001)
        #expect(late.checkpointRequests.map(\.reason) == [.timeout(PacketTimeout(side: .primary, index: 0, ageMs: 3001, timeoutMs: 3000))])
        // The scan releases nothing; the packet stays until a checkpoint flushes it.
        #expect(late.releases.isEmpty && compare.queuedPrimaryCount == 1)
    }

    @Test("C-19: with defaults a stuck packet is detected between 3 and 4 s after it arrived")
    func defaultsDetectWithinFourSeconds() {
        var compare = COLOCompare.make()
        _ = compare.receivePrimary(Net.udp("x"), nowMs: 10)
        var detected: Int64?
        for now in stride(from: Int64(0), through: 6000, by: 1) {
            if !compare.advanceTime(toMs: now).checkpointRequests.isEmpty { detected = now; break }
        }
        #expect(detected == 4000)
    }

    @Test("C-19: secondary packets count; one request per scan, at the first old packet in list order, primary list first")
    func scanOrder() {
        var compare = COLOCompare.make(timeout: 100)
        _ = compare.receiveSecondary(Net.udp("s", sourcePort: 1), nowMs: 0)   // connection 1: old secondary
        _ = compare.receivePrimary(Net.udp("p", sourcePort: 2), nowMs: 0)     // connection 2: old primary
        let actions = compare.scanTimerFired(nowMs: 500)
        #expect(actions.checkpointRequests.count == 1)
        #expect(actions.checkpointRequests.first?.reason == .timeout(PacketTimeout(side: .secondary, index: 0, ageMs: 500, timeoutMs: 100)))
        #expect(actions.checkpointRequests.first?.connection.portA == 1)
    }

    @Test("C-19 consequence: a fully consumed secondary left queued after resegmentation ages into a timeout request")
    func leftoverSecondaryTimesOut() {
        var compare = COLOCompare.make(timeout: 3000)
        _ = compare.receivePrimary(Net.tcp(seq: 1000, "abcdef"), nowMs: 0)
        _ = compare.receiveSecondary(Net.tcp(seq: 1000, "abc"), nowMs: 0)
        let matched = compare.receiveSecondary(Net.tcp(seq: 1003, "def"), nowMs: 0)
        #expect(matched.releases == [0])
        let scan = compare.scanTimerFired(nowMs: 3001)
        #expect(scan.checkpointRequests.first?.reason == .timeout(PacketTimeout(side: .secondary, index: 1, ageMs: 3001, timeoutMs: 3000)))
    }

    @Test("C-20: a checkpoint releases every primary (TCP ascending, non-TCP per profile) then drops every secondary")
    func checkpointFlush() {
        var compare = COLOCompare.make()
        _ = compare.receivePrimary(Net.tcp(seq: 2000, "b"), nowMs: 0)
        _ = compare.receivePrimary(Net.tcp(seq: 1000, "a"), nowMs: 0)
        _ = compare.receiveSecondary(Net.tcp(seq: 1000, "X"), nowMs: 0)
        _ = compare.receivePrimary(Net.udp("u1"), nowMs: 0)
        _ = compare.receivePrimary(Net.udp("u2"), nowMs: 0)
        _ = compare.receiveSecondary(Net.udp("v"), nowMs: 0)
        let actions = compare.checkpoint(nowMs: 5)
        #expect(actions.events.first == .flush(.checkpoint))
        #expect(actions.releases == [1, 0, 3, 2])
        #expect(Set(actions.releaseReasons.map(\.token)) == ["checkpoint_flush"])
        #expect(actions.outdevIndices == [1, 0, 3, 2])
        #expect(actions.drops.map(\.side) == [.secondary, .secondary])
        #expect(actions.drops.map(\.reason.token) == ["checkpoint_flush", "checkpoint_flush"])
        #expect(compare.queuedPrimaryCount == 0 && compare.queuedSecondaryCount == 0)
        #expect(compare.connectionSnapshots.count == 2)
    }

    @Test("C-21: the failover event does nothing")
    func failoverDoesNothing() {
        var compare = COLOCompare.make()
        _ = compare.receivePrimary(Net.udp("kept"), nowMs: 0)
        #expect(compare.failover(nowMs: 1).isEmpty)
        #expect(compare.queuedPrimaryCount == 1)
    }

    @Test("C-22: an event reaches every compare in order before the call returns; no compares → returns at once")
    func eventDelivery() {
        var compares = [COLOCompare.make(), COLOCompare.make()]
        _ = compares[0].receivePrimary(Net.udp("a"), nowMs: 0)
        _ = compares[1].receivePrimary(Net.udp("b"), nowMs: 0)
        let results = COLOCompare.notifyCompares(&compares, event: .checkpoint, nowMs: 1)
        #expect(results.map(\.releases) == [[0], [0]])
        #expect(compares.allSatisfy { $0.queuedPrimaryCount == 0 })
        var none: [COLOCompare] = []
        #expect(COLOCompare.notifyCompares(&none, event: .checkpoint, nowMs: 1).isEmpty)
    }
}
