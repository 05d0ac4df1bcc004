import Testing
@testable import Fabric
@testable import Secondary

@Suite("Secondary-side rules (RW-11)")
struct SecondarySideRuleTests {
    let flow = Flow()

    func makeRewriter(with entry: RewriterConnection, profile: RewriterProfile = .upstream) -> FilterRewriter {
        var rewriter = FilterRewriter(profile: profile)
        rewriter.setConnectionForTesting(flow.key, entry)
        return rewriter
    }

    @Test("RW-11.1: guest SYN+ACK in SYN_RECEIVED sets offset := seq (raw ISN), overwriting, not rewritten")
    func synAckParksISN() {
        var rewriter = makeRewriter(with: RewriterConnection(tcpState: .synReceived, offset: 42))
        let frame = flow.fromGuest(seq: 90_000, ack: 1_001, [.syn, .ack])
        let outcome = rewriter.receive(frame, from: .nic)
        #expect(outcome.offsetChanges.map(\.to) == [90_000])
        #expect(outcome.offsetChanges.map(\.rule) == [.rw11_1])
        #expect(outcome.frame == frame)
        #expect(rewriter.connection(flow.key)?.tcpState == .synReceived)
    }

    @Test("RW-11.1: a guest SYN+ACK outside SYN_RECEIVED learns nothing")
    func synAckElsewhere() {
        for state in RewriterTCPState.allCases where state != .synReceived {
            var rewriter = makeRewriter(with: RewriterConnection(tcpState: state))
            let outcome = rewriter.receive(flow.fromGuest(seq: 90_000, ack: 1, [.syn, .ack]), from: .nic)
            #expect(outcome.events.isEmpty, "state \(state)")
        }
    }

    @Test("RW-11.2: guest SYN-only in CLOSED → SYN_SENT (a new entry starts CLOSED)")
    func guestSynOpens() {
        var rewriter = FilterRewriter()
        let outcome = rewriter.receive(flow.fromGuest(seq: 1, .syn), from: .nic)
        #expect(outcome.stateChanges.map(\.to) == [.synSent])
        #expect(outcome.stateChanges.map(\.rule) == [.rw11_2])
        #expect(rewriter.connection(flow.key)?.offset == 0)
    }

    @Test("RW-11.3: guest ACK-class with offset ≠ 0 gets seq − offset and a valid checksum; ack untouched")
    func seqRewritten() {
        for flags: TCPFlags in [.ack, [.ack, .psh], [.ack, .rst], [.ack, .fin]] {
            var rewriter = makeRewriter(with: RewriterConnection(tcpState: .established, offset: 85_000))
            let outcome = rewriter.receive(flow.fromGuest(seq: 90_001, ack: 1_001, flags, payload: [1, 2, 3, 4, 5]), from: .nic)
            #expect(outcome.record.rewrite == FieldRewrite(field: .seq, from: 90_001, to: 5_001, offset: 85_000))
            #expect(outcome.frame.seq == 5_001)
            #expect(outcome.frame.ack == 1_001)
            #expect(outcome.frame.checksumsValid())
        }
    }

    @Test("RW-11.3: SYN+ACK and SYN from the guest are never rewritten even with an offset")
    func synNotRewritten() {
        var rewriter = makeRewriter(with: RewriterConnection(tcpState: .established, offset: 85_000))
        let synAck = flow.fromGuest(seq: 90_000, ack: 1, [.syn, .ack])
        #expect(rewriter.receive(synAck, from: .nic).frame == synAck)
        let bareFin = flow.fromGuest(seq: 90_000, .fin)
        #expect(rewriter.receive(bareFin, from: .nic).frame == bareFin)
    }

    @Test("RW-11.4: FIN+ACK in CLOSE_WAIT records fin_ack_seq after the − offset rewrite and enters LAST_ACK")
    func finAckRecordsRewrittenSeq() {
        var rewriter = makeRewriter(with: RewriterConnection(tcpState: .closeWait, offset: 85_000))
        let outcome = rewriter.receive(flow.fromGuest(seq: 90_500, ack: 1_002, [.fin, .ack]), from: .nic)
        #expect(outcome.frame.seq == 5_500)
        #expect(rewriter.connection(flow.key)?.finAckSeq == 5_500)
        #expect(outcome.stateChanges.map(\.to) == [.lastAck])
        #expect(outcome.events.contains(.finAckSeqRecorded(key: flow.key, value: 5_500)))
    }

    @Test("RW-11.5: guest FIN with ACK clear in ESTABLISHED → FIN_WAIT_1; FIN+ACK does not")
    func bareFinEntersFinWait1() {
        var bare = makeRewriter(with: RewriterConnection(tcpState: .established))
        #expect(bare.receive(flow.fromGuest(seq: 1, .fin), from: .nic).stateChanges.map(\.to) == [.finWait1])
        var withAck = makeRewriter(with: RewriterConnection(tcpState: .established))
        #expect(withAck.receive(flow.fromGuest(seq: 1, ack: 1, [.fin, .ack]), from: .nic).events.isEmpty)
    }

    @Test("RW-11 order: the SYN+ACK's ISN is parked before anything else, and SYN-only from SYN_RECEIVED is ignored")
    func ruleOrder() {
        var rewriter = makeRewriter(with: RewriterConnection(tcpState: .synReceived))
        // SYN-only from the guest while SYN_RECEIVED: RW-11.2 needs CLOSED.
        #expect(rewriter.receive(flow.fromGuest(seq: 5, .syn), from: .nic).events.isEmpty)
        // CLOSE_WAIT with FIN+ACK+SYN: not ACK-class (no rewrite) but RW-11.4 only needs ACK and FIN.
        var odd = makeRewriter(with: RewriterConnection(tcpState: .closeWait, offset: 10))
        let outcome = odd.receive(flow.fromGuest(seq: 100, ack: 1, [.syn, .ack, .fin]), from: .nic)
        #expect(outcome.record.rewrite == nil)
        #expect(odd.connection(flow.key)?.finAckSeq == 100)
        #expect(odd.connection(flow.key)?.tcpState == .lastAck)
    }
}
