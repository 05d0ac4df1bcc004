import Testing
@testable import Fabric
@testable import Secondary

/// The fuzz finding on scenarios/passive-close-fixed.yaml (run 0 of `lockstep fuzz … --runs 200
/// --expectations`, seed 10451216379200822465, connection 49152): the primary guest's pure ACK
/// and FIN+ACK reach the client in reverse order, so the client acknowledges the FIN and then
/// answers the stale ACK with a duplicate of its final ACK. The passive close itself removes the
/// entry; the duplicate arrives after that and used to create a fresh CLOSED entry (then the
/// secondary guest's RST found it), so the table did not end empty.
@Suite("RW-5/RW-14: late segments after a passive close (fuzz finding on passive-close-fixed)")
struct PassiveCloseLateSegmentTests {
    // The run's sequence numbers: client ISN, primary and secondary guest ISNs.
    let c0: UInt32 = 3_994_189_798
    let p0: UInt32 = 3_604_666_579
    let s0: UInt32 = 710_066_540
    var flow: Flow {
        var flow = Flow()
        flow.clientPort = 49_152
        return flow
    }

    /// The frames the secondary's rewriter saw, in order, as (frame, side).
    var frames: [(Frame, RewriterSide)] {
        let c = c0 &+ 1, p = p0 &+ 1, s = s0 &+ 1
        return [
            (flow.toGuest(seq: c0, .syn), .netdev),
            (flow.fromGuest(seq: s0, ack: c, [.syn, .ack]), .nic),
            (flow.toGuest(seq: c, ack: p, [.psh, .ack], payload: Array(repeating: 0x47, count: 316)), .netdev),
            (flow.fromGuest(seq: s, ack: c &+ 316, [.psh, .ack], payload: Array(repeating: 0x48, count: 41)), .nic),
            // Close: the client's FIN, the guest's ACK and FIN+ACK, the client's final ACK and
            // its duplicate, then the secondary guest's RST (its socket is gone).
            (flow.toGuest(seq: c &+ 316, ack: p &+ 41, [.fin, .ack]), .netdev),
            (flow.fromGuest(seq: s &+ 41, ack: c &+ 317, .ack), .nic),
            (flow.fromGuest(seq: s &+ 41, ack: c &+ 317, [.fin, .ack]), .nic),
            (flow.toGuest(seq: c &+ 317, ack: p &+ 42, .ack), .netdev),
            (flow.toGuest(seq: c &+ 317, ack: p &+ 42, .ack), .netdev),
            (flow.fromGuest(seq: p &+ 42, .rst), .nic),
        ]
    }

    func run(_ profile: RewriterProfile) -> (FilterRewriter, [RewriterOutcome]) {
        var rewriter = FilterRewriter(profile: profile)
        let outcomes = frames.map { rewriter.receive($0.0, from: $0.1) }
        return (rewriter, outcomes)
    }

    @Test("Fixed vs RW-14: the final ACK (primary space) matches fin_ack_seq + 1 and removes the entry; the duplicate ACK and the RST leave no entry")
    func fixedLeavesTableEmpty() {
        let (rewriter, outcomes) = run(.fixed)
        #expect(outcomes[3].frame.seq == p0 &+ 1)                   // offset learned and applied
        #expect(outcomes[6].events.contains { if case .finAckSeqRecorded(_, p0 &+ 42) = $0 { return true }; return false })
        #expect(outcomes[7].removedEntry)
        #expect(outcomes[7].frame.ack == s0 &+ 43)                  // still translated before removal
        #expect(outcomes[8].record.handling == .stolen)
        #expect(outcomes[8].frame.ack == p0 &+ 43)                  // no entry, no offset: as QEMU's fresh entry
        #expect(outcomes[8].events.isEmpty && outcomes[9].events.isEmpty)
        #expect(outcomes[9].record.handling == .stolen)
        #expect(rewriter.table.count == 0)
        #expect(rewriter.counters.entriesRemoved == 1)
        #expect(rewriter.counters.entriesCreated == 1)
        #expect(rewriter.counters.untrackedSegmentsNotKept == 2)
    }

    @Test("RW-5/P-5 (QEMU): with offset 0 the close removes the entry, and the duplicate ACK creates a fresh CLOSED entry that stays")
    func upstreamRecreatesEntry() {
        var rewriter = FilterRewriter(profile: .upstream)
        let c = c0 &+ 1, p = p0 &+ 1
        // Equal ISNs: the only case where QEMU's passive close removes the entry (RW-14).
        let sameISN: [(Frame, RewriterSide)] = frames.enumerated().map { index, step in
            guard step.1 == .nic else { return step }
            let guestFrames = [
                1: flow.fromGuest(seq: p0, ack: c, [.syn, .ack]),
                3: flow.fromGuest(seq: p, ack: c &+ 316, [.psh, .ack], payload: Array(repeating: 0x48, count: 41)),
                5: flow.fromGuest(seq: p &+ 41, ack: c &+ 317, .ack),
                6: flow.fromGuest(seq: p &+ 41, ack: c &+ 317, [.fin, .ack]),
            ]
            return (guestFrames[index] ?? step.0, step.1)
        }
        let outcomes = sameISN.map { rewriter.receive($0.0, from: $0.1) }
        #expect(outcomes[7].removedEntry)
        #expect(rewriter.counters.entriesCreated == 2)
        #expect(rewriter.table.count == 1)
        #expect(rewriter.connection(flow.key) == RewriterConnection())
    }

    @Test("Fixed: a SYN with no entry is still tracked; a mid-stream segment with no entry is stolen but not kept")
    func onlyChangedEntriesAreKept() {
        var rewriter = FilterRewriter(profile: .fixed)
        let midStream = rewriter.receive(flow.toGuest(seq: 7, ack: 9, .ack), from: .netdev)
        #expect(midStream.record.handling == .stolen)
        #expect(midStream.record.unchangedReason == .offsetZero)
        #expect(rewriter.table.count == 0)
        _ = rewriter.receive(flow.toGuest(seq: c0, .syn), from: .netdev)
        #expect(rewriter.connection(flow.key)?.tcpState == .synReceived)
        #expect(rewriter.counters.untrackedSegmentsNotKept == 1)
    }
}
