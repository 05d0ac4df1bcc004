import Testing
@testable import Fabric
@testable import Secondary

@Suite("RW-15 checkpoint and failover events")
struct EventRuleTests {
    let open = PassiveOpen()
    var flow: Flow { open.flow }

    @Test("RW-15: checkpoint sets every offset to 0 and keeps states and fin_ack_seq")
    func checkpointResetsOffsets() {
        var rewriter = FilterRewriter()
        open.run(&rewriter)
        var other = flow
        other.clientPort = 50_000
        rewriter.setConnectionForTesting(other.key, RewriterConnection(tcpState: .lastAck, offset: 77, finAckSeq: 12))
        let event = rewriter.checkpoint()
        #expect(event == .checkpoint(entries: 2, offsetsReset: 2, pendingISNsCleared: 0))
        #expect(rewriter.connection(flow.key) == RewriterConnection(tcpState: .established))
        #expect(rewriter.connection(other.key) == RewriterConnection(tcpState: .lastAck, finAckSeq: 12))
        // After the checkpoint both guests are in the same space: nothing is rewritten.
        let data = flow.toGuest(seq: open.c0 + 1, ack: open.p0 + 1, .ack, payload: [1])
        #expect(rewriter.receive(data, from: .netdev).frame == data)
    }

    @Test("RW-15 quirk: a handshake left in SYN_RECEIVED across a checkpoint computes a bogus offset 0 − (ack − 1)")
    func checkpointBogusOffset() {
        var rewriter = FilterRewriter()
        _ = rewriter.receive(flow.toGuest(seq: open.c0, .syn), from: .netdev)
        _ = rewriter.receive(flow.fromGuest(seq: open.s0, ack: open.c0 + 1, [.syn, .ack]), from: .nic)
        _ = rewriter.checkpoint()
        let ack = rewriter.receive(flow.toGuest(seq: open.c0 + 1, ack: open.p0 + 1, .ack), from: .netdev)
        let bogus = 0 &- open.p0
        #expect(ack.offsetChanges.map(\.to) == [bogus])
        #expect(ack.frame.ack == open.p0 + 1 &+ bogus)  // == 1: the guest sees a nonsense ack
        #expect(ack.frame.ack == 1)
    }

    @Test("RW-15: failover enters failover mode only when every offset is zero; otherwise full processing continues")
    func failoverRefusedThenEntered() {
        var rewriter = FilterRewriter()
        open.run(&rewriter)
        #expect(rewriter.failover() == .failover(entered: false, nonZeroOffsets: 1))
        #expect(!rewriter.isInFailoverMode)
        // Still creating entries for new keys.
        var other = flow
        other.clientPort = 1
        #expect(rewriter.receive(other.toGuest(seq: 1, .syn), from: .netdev).wasStolen)
        #expect(rewriter.table.count == 2)
        _ = rewriter.checkpoint()
        #expect(rewriter.failover() == .failover(entered: true, nonZeroOffsets: 0))
        #expect(rewriter.isInFailoverMode)
        // Permanent: a later failover event changes nothing; tracked entries keep being handled.
        #expect(rewriter.failover() == .failover(entered: true, nonZeroOffsets: 0))
        #expect(rewriter.receive(flow.toGuest(seq: 1, ack: 1, .ack), from: .netdev).wasStolen)
    }

    @Test("RW-15: a parked ISN counts as a non-zero offset and refuses failover (upstream)")
    func parkedISNRefusesFailover() {
        var rewriter = FilterRewriter()
        _ = rewriter.receive(flow.toGuest(seq: open.c0, .syn), from: .netdev)
        _ = rewriter.receive(flow.fromGuest(seq: open.s0, ack: open.c0 + 1, [.syn, .ack]), from: .nic)
        #expect(rewriter.failover() == .failover(entered: false, nonZeroOffsets: 1))
    }
}
