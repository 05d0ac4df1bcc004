import Testing
@testable import Fabric
@testable import Secondary

@Suite("RW-14 teardown and known quirks (upstream)")
struct TeardownQuirkTests {
    let open = PassiveOpen()
    var flow: Flow { open.flow }

    func establishedRewriter(profile: RewriterProfile = .upstream) -> FilterRewriter {
        var rewriter = FilterRewriter(profile: profile)
        open.run(&rewriter)
        return rewriter
    }

    @Test("RW-14 quirk: a guest close with FIN+ACK never enters FIN_WAIT_1; the entry ends in CLOSE_WAIT and stays")
    func guestCloseWithAckStaysInTable() {
        var rewriter = establishedRewriter()
        let s = open.s0 + 1, p = open.p0 + 1, c = open.c0 + 1
        _ = rewriter.receive(flow.fromGuest(seq: s, ack: c, [.fin, .ack]), from: .nic)
        #expect(rewriter.connection(flow.key)?.tcpState == .established)
        // The client's FIN+ACK answers; RW-10.1 treats it as a passive close.
        _ = rewriter.receive(flow.toGuest(seq: c, ack: p + 1, [.fin, .ack]), from: .netdev)
        _ = rewriter.receive(flow.fromGuest(seq: s + 1, ack: c + 1, .ack), from: .nic)
        #expect(rewriter.connection(flow.key)?.tcpState == .closeWait)
        #expect(rewriter.table.count == 1)
    }

    @Test("RW-14 quirk: with a non-zero offset the passive close never removes the entry (fin_ack_seq compared across spaces)")
    func passiveCloseWithOffsetSticks() {
        var rewriter = establishedRewriter()
        let s = open.s0 + 1, p = open.p0 + 1, c = open.c0 + 1
        #expect(rewriter.receive(flow.toGuest(seq: c, ack: p, [.fin, .ack]), from: .netdev).stateChanges.map(\.to) == [.closeWait])
        let finAck = rewriter.receive(flow.fromGuest(seq: s, ack: c + 1, [.fin, .ack]), from: .nic)
        #expect(finAck.frame.seq == p)
        #expect(rewriter.connection(flow.key)?.finAckSeq == p)  // primary space
        // The client acknowledges P's FIN: ack = p + 1, rewritten to s + 1 before the comparison.
        let last = rewriter.receive(flow.toGuest(seq: c + 1, ack: p + 1, .ack), from: .netdev)
        #expect(last.frame.ack == s + 1)
        #expect(!last.removedEntry)
        #expect(rewriter.connection(flow.key)?.tcpState == .lastAck)
    }

    @Test("RW-14: the passive close removes the entry when the offset is zero")
    func passiveCloseWithoutOffset() {
        var rewriter = FilterRewriter()
        var same = open
        same.s0 = same.p0
        same.run(&rewriter)
        #expect(rewriter.connection(flow.key)?.offset == 0)
        let c = open.c0 + 1, p = open.p0 + 1
        _ = rewriter.receive(flow.toGuest(seq: c, ack: p, [.fin, .ack]), from: .netdev)
        _ = rewriter.receive(flow.fromGuest(seq: p, ack: c + 1, [.fin, .ack]), from: .nic)
        let last = rewriter.receive(flow.toGuest(seq: c + 1, ack: p + 1, .ack), from: .netdev)
        #expect(last.removedEntry)
        #expect(last.stateChanges.map(\.rule) == [.rw9_3])
        #expect(rewriter.table.count == 0)
    }

    @Test("RW-14 quirk: RST changes nothing; the entry stays with its offset")
    func rstIgnored() {
        var rewriter = establishedRewriter()
        let rst = rewriter.receive(flow.toGuest(seq: open.c0 + 1, ack: open.p0 + 1, [.rst, .ack]), from: .netdev)
        #expect(rst.frame.ack == open.s0 + 1)  // still translated: RST+ACK is ACK-class
        _ = rewriter.receive(flow.fromGuest(seq: open.s0 + 1, .rst), from: .nic)
        #expect(rewriter.connection(flow.key) == RewriterConnection(tcpState: .established, offset: open.offset))
    }

    @Test("RW-14 quirk: a new client SYN on a reused tuple keeps the old offset until the guest's SYN+ACK overwrites it")
    func reusedTupleKeepsOffset() {
        var rewriter = establishedRewriter()
        _ = rewriter.receive(flow.toGuest(seq: 7_000, .syn), from: .netdev)
        #expect(rewriter.connection(flow.key) == RewriterConnection(tcpState: .synReceived, offset: open.offset))
        // Without a guest SYN+ACK in between, the client's ACK subtracts from the stale offset.
        let ack = rewriter.receive(flow.toGuest(seq: 7_001, ack: 20_001, .ack), from: .netdev)
        #expect(ack.offsetChanges.map(\.to) == [open.offset &- 20_000])
        // With it, RW-11.1 overwrites and the new offset is right.
        var fresh = establishedRewriter()
        _ = fresh.receive(flow.toGuest(seq: 7_000, .syn), from: .netdev)
        _ = fresh.receive(flow.fromGuest(seq: 300, ack: 7_001, [.syn, .ack]), from: .nic)
        _ = fresh.receive(flow.toGuest(seq: 7_001, ack: 20_001, .ack), from: .netdev)
        #expect(fresh.connection(flow.key)?.offset == 300 &- 20_000)
    }

    @Test("RW-14 quirk: a new guest SYN on a reused tuple that is not CLOSED is not tracked as SYN_SENT")
    func reusedTupleGuestSyn() {
        var rewriter = establishedRewriter()
        let syn = rewriter.receive(flow.fromGuest(seq: 1, .syn), from: .nic)
        #expect(syn.events.isEmpty)
        #expect(rewriter.connection(flow.key)?.tcpState == .established)
    }

    @Test("RW-14 quirk: actively opened connections never learn an offset; the client's SYN+ACK reaches S untranslated")
    func activeOpenInconsistent() {
        var rewriter = FilterRewriter()
        _ = rewriter.receive(flow.fromGuest(seq: 90_000, .syn), from: .nic)          // S guest ISN s0
        let synAck = flow.toGuest(seq: 1_000, ack: 5_001, [.syn, .ack])                // acks P's p0
        #expect(rewriter.receive(synAck, from: .netdev).frame == synAck)
        let data = flow.fromGuest(seq: 90_001, ack: 1_001, [.ack, .psh], payload: [1])
        #expect(rewriter.receive(data, from: .nic).frame == data)
        #expect(rewriter.connection(flow.key)?.offset == 0)
    }

    @Test("RW-10.2 quirk: after a bare-FIN close the entry is removed on the client's FIN, so the guest's final ACK is not translated")
    func activeCloseForgetsFinalAck() {
        var rewriter = establishedRewriter()
        let s = open.s0 + 1, c = open.c0 + 1, p = open.p0 + 1
        _ = rewriter.receive(flow.fromGuest(seq: s, .fin), from: .nic)
        #expect(rewriter.connection(flow.key)?.tcpState == .finWait1)
        let clientFin = rewriter.receive(flow.toGuest(seq: c, ack: p + 1, [.fin, .ack]), from: .netdev)
        #expect(clientFin.frame.ack == s + 1)
        #expect(clientFin.removedEntry)
        let finalAck = flow.fromGuest(seq: s + 1, ack: c + 1, .ack)
        let outcome = rewriter.receive(finalAck, from: .nic)
        #expect(outcome.frame == finalAck)
        #expect(outcome.record.unchangedReason == .offsetZero)
        #expect(rewriter.connection(flow.key) == RewriterConnection())
    }
}
