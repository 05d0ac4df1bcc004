import Testing
@testable import Fabric
@testable import Primary

@Suite("colo-compare input pipeline and enqueueing (C-3..C-7, P-5)")
struct CompareInputTests {
    static let unparseable: [(String, Frame)] = [
        ("ARP", Net.builder.arp(operation: 1)),
        ("IPv6", Net.builder.ipv6(payload: [1, 2, 3])),
        ("802.1Q", { var b = Net.builder; b.vlanTags = [(0x8100, 5)]; return b.udp(sourcePort: 1, destinationPort: 2, payload: [1]) }()),
        ("runt", Frame([0x52, 0x54, 0, 0, 0, 2, 0x52, 0x54, 0, 0, 0, 1, 0x08, 0x00, 0x45, 0, 0])),
        ("V > 20", Frame(Net.udp("x").bytes, vnetHeaderLength: 21)),
    ]

    @Test("C-3: an unparseable primary record is forwarded at once, same bytes and V, never compared")
    func unparseablePrimaryForwarded() {
        for (name, frame) in Self.unparseable {
            var compare = COLOCompare.make(vnet: true)
            let actions = compare.receivePrimary(frame, nowMs: 0)
            #expect(actions.releases == [0], "\(name)")
            guard case .unparseable = actions.releaseReasons.first else {
                Issue.record("\(name): expected an unparseable release")
                continue
            }
            #expect(actions.writes == [CompareWrite(channel: .outdev, frame: frame, carriesVnetField: true, primaryIndex: 0)], "\(name)")
            #expect(actions.checkpointRequests.isEmpty)
            #expect(compare.connectionSnapshots.isEmpty)
        }
    }

    @Test("C-3 with P-1 quirk: an 802.1ad-tagged IPv4 frame is parsed and queued, not forwarded")
    func qinqIsParsed() {
        var compare = COLOCompare.make()
        var b = Net.builder
        b.vlanTags = [(0x88A8, 5)]
        let actions = compare.receivePrimary(b.udp(sourcePort: 1, destinationPort: 2, payload: [1]), nowMs: 0)
        #expect(actions.isEmpty)
        #expect(compare.queuedPrimaryCount == 1)
    }

    @Test("C-4: an unparseable secondary record is discarded (counted as a drop) and causes nothing else")
    func unparseableSecondaryDropped() {
        for (name, frame) in Self.unparseable {
            var compare = COLOCompare.make()
            let actions = compare.receiveSecondary(frame, nowMs: 0)
            #expect(actions.writes.isEmpty, "\(name)")
            #expect(actions.drops.count == 1)
            #expect(actions.drops.first?.reason.token == "unparseable")
            #expect(actions.checkpointRequests.isEmpty)
        }
    }

    @Test("C-3/W-4: a zero-length primary record cannot be forwarded (zero-byte send refused): dropped as empty_record")
    func emptyPrimaryRecord() {
        var compare = COLOCompare.make()
        let actions = compare.receivePrimary(Frame([]), nowMs: 0)
        #expect(actions.writes.isEmpty)
        #expect(actions.drops == [CompareDrop(side: .primary, index: 0, connection: nil, reason: .emptyRecord)])
        #expect(compare.primaryRecordCount == 1)
    }

    @Test("C-5: the connection list keeps first-packet order (secondary-first counts) and drives the flush order")
    func connectionListOrder() {
        var compare = COLOCompare.make()
        _ = compare.receiveSecondary(Net.udp("s", sourcePort: 3), nowMs: 0)   // connection A (port 3)
        _ = compare.receivePrimary(Net.udp("b", sourcePort: 2), nowMs: 0)     // connection B (port 2), primary #0
        _ = compare.receivePrimary(Net.udp("a", sourcePort: 3), nowMs: 0)     // A: no match with "s" → request
        #expect(compare.connectionSnapshots.map(\.key.portA) == [3, 2])
        let flush = compare.checkpoint(nowMs: 1)
        #expect(flush.releases == [1, 0])
    }

    @Test("C-6: a queue accepts while it holds ≤ max_queue_size, so it reaches max+1; a refused primary is lost; comparison still runs")
    func capacity() throws {
        let process = CompareProcess()
        try process.setMaxQueueSize(1)
        var compare = COLOCompare.make(process: process)
        _ = compare.receivePrimary(Net.udp("x"), nowMs: 0)
        _ = compare.receivePrimary(Net.udp("y"), nowMs: 0)
        #expect(compare.queuedPrimaryCount == 2)
        let mismatch = compare.receiveSecondary(Net.udp("z"), nowMs: 0)
        #expect(mismatch.checkpointRequests.count == 1)
        let refused = compare.receivePrimary(Net.udp("w"), nowMs: 0)
        #expect(refused.drops.map(\.index) == [2])
        #expect(refused.drops.first?.reason == .queueFull(queueLength: 2, maxQueueSize: 1))
        // The comparison ran after the refusal: the stalled pair raised the request again.
        #expect(refused.checkpointRequests.count == 1)
        let flush = compare.checkpoint(nowMs: 1)
        #expect(Set(flush.releases) == [0, 1])
    }

    @Test("C-6: the limit is read from the process-global at each insertion, shared by every compare of the process")
    func capacityIsShared() throws {
        let process = CompareProcess()
        var first = COLOCompare.make(process: process)
        var second = COLOCompare.make(process: process)
        try process.setMaxQueueSize(2)
        for _ in 0..<5 {
            _ = first.receivePrimary(Net.udp("a"), nowMs: 0)
            _ = second.receivePrimary(Net.udp("a"), nowMs: 0)
        }
        #expect(first.queuedPrimaryCount == 3)
        #expect(second.queuedPrimaryCount == 3)
    }

    @Test("C-7: TCP queues are sorted by circular sequence number, highest at the head, consumed lowest first")
    func tcpQueueOrder() {
        var compare = COLOCompare.make()
        for seq: UInt32 in [300, 100, 200, 0xFFFF_FF00] {
            _ = compare.receivePrimary(Net.tcp(seq: seq, "data"), nowMs: 0)
        }
        // Head to tail: 300, 200, 100, 0xFFFFFF00 (which is before 100 in circular order).
        #expect(compare.connectionSnapshots.first?.primaryQueue == [0, 2, 1, 3])
        #expect(compare.checkpoint(nowMs: 0).releases == [3, 1, 2, 0])
    }

    @Test("C-7: equal TCP sequence numbers — older first since 7.0, newer first before 7.0")
    func tcpEqualSequenceOrder() {
        for (profile, expected) in [(CompareProfile.upstream, [0, 1]), (.qemu62, [1, 0]), (.fixed, [0, 1])] {
            var compare = COLOCompare.make(profile)
            _ = compare.receivePrimary(Net.tcp(seq: 100, "one"), nowMs: 0)
            _ = compare.receivePrimary(Net.tcp(seq: 100, "two"), nowMs: 0)
            #expect(compare.checkpoint(nowMs: 0).releases == expected, "\(profile)")
        }
    }

    @Test("C-7 (quirk since 7.0): non-TCP queues are consumed newest first; qemu-6.2 and fixed take the oldest")
    func nonTCPQueueOrder() {
        for (profile, expected) in [(CompareProfile.upstream, [2, 1, 0]), (.qemu62, [0, 1, 2]), (.fixed, [0, 1, 2])] {
            var compare = COLOCompare.make(profile)
            for text in ["a", "b", "c"] { _ = compare.receivePrimary(Net.udp(text), nowMs: 0) }
            #expect(compare.connectionSnapshots.first?.primaryQueue == [0, 1, 2])
            #expect(compare.checkpoint(nowMs: 0).releases == expected, "\(profile)")
        }
    }

    @Test("P-5: a new key at a table of more than the threshold clears it; queued primaries are dropped, not released")
    func tableReset() {
        var compare = COLOCompare.make(resetThreshold: 2)
        for port: UInt16 in 1...3 {
            _ = compare.receivePrimary(Net.udp("p", sourcePort: port), nowMs: 0)
        }
        _ = compare.receiveSecondary(Net.udp("q", sourcePort: 3), nowMs: 0)
        #expect(compare.connectionSnapshots.count == 3)
        let actions = compare.receivePrimary(Net.udp("p", sourcePort: 4), nowMs: 0)
        #expect(actions.writes.isEmpty)
        #expect(actions.drops.map(\.reason) == [.tableReset, .tableReset, .tableReset, .tableReset])
        #expect(actions.drops.map(\.side) == [.primary, .primary, .primary, .secondary])
        #expect(actions.drops.map(\.index) == [0, 1, 2, 0])
        #expect(compare.connectionSnapshots.map(\.key.portA) == [4])
        #expect(compare.queuedPrimaryCount == 1)
    }

    @Test("P-5: an existing key never triggers the reset, however full the table")
    func tableResetOnlyForNewKeys() {
        var compare = COLOCompare.make(resetThreshold: 1)
        _ = compare.receivePrimary(Net.udp("p", sourcePort: 1), nowMs: 0)
        _ = compare.receivePrimary(Net.udp("p", sourcePort: 2), nowMs: 0)
        let again = compare.receivePrimary(Net.udp("p", sourcePort: 1), nowMs: 0)
        #expect(again.drops.isEmpty)
        #expect(compare.connectionSnapshots.count == 2)
    }
}

@Suite("colo-compare connection table at QEMU's size (P-5)")
struct CompareConnectionTableTests {
    @Test("P-5: 10 000 connections are found again in any order (table growth and probing)")
    func manyConnections() {
        var compare = COLOCompare.make()
        for port in UInt16(1)...10_000 { _ = compare.receivePrimary(Net.udp("p", sourcePort: port), nowMs: 0) }
        var released = 0
        for port in (UInt16(1)...10_000).reversed() {
            released += compare.receiveSecondary(Net.udp("p", sourcePort: port), nowMs: 0).releases.count
        }
        #expect(released == 10_000)
        #expect(compare.connectionSnapshots.count == 10_000)
    }

    @Test("P-5: the table holds 16 385 connections; the 16 386th new key resets it, dropping every queued primary")
    func realThreshold() {
        var compare = COLOCompare.make()
        for port in UInt16(1)...16_385 { _ = compare.receivePrimary(Net.udp("p", sourcePort: port), nowMs: 0) }
        #expect(compare.connectionSnapshots.count == 16_385)
        let actions = compare.receivePrimary(Net.udp("p", sourcePort: 16_386), nowMs: 0)
        #expect(actions.drops.count == 16_385)
        #expect(actions.drops.allSatisfy { $0.reason == .tableReset && $0.side == .primary })
        #expect(actions.writes.isEmpty)
        #expect(compare.connectionSnapshots.count == 1)
        #expect(compare.receiveSecondary(Net.udp("p", sourcePort: 16_386), nowMs: 0).releases == [16_385])
    }
}
