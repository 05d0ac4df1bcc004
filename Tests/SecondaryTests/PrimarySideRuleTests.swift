import Testing
@testable import Fabric
@testable import Secondary

@Suite("Primary-side rules (RW-7..RW-10)")
struct PrimarySideRuleTests {
    let flow = Flow()

    func makeRewriter(with entry: RewriterConnection, profile: RewriterProfile = .upstream) -> FilterRewriter {
        var rewriter = FilterRewriter(profile: profile)
        // Create the entry through the engine (a bare ACK changes nothing), then shape it.
        _ = rewriter.receive(flow.toGuest(seq: 0, ack: 0, .rst), from: .netdev)
        rewriter.setConnectionForTesting(flow.key, entry)
        return rewriter
    }

    @Test("RW-7: SYN+ACK in SYN_SENT → ESTABLISHED, nothing rewritten")
    func synAckEstablishes() {
        var rewriter = makeRewriter(with: RewriterConnection(tcpState: .synSent))
        let outcome = rewriter.receive(flow.toGuest(seq: 10, ack: 20, [.syn, .ack]), from: .netdev)
        #expect(outcome.stateChanges.map(\.to) == [.established])
        #expect(outcome.stateChanges.map(\.rule) == [.rw7])
        #expect(outcome.record.rewrite == nil)
        #expect(outcome.record.unchangedReason == .notAckClass)
    }

    @Test("RW-7: SYN+ACK in any other state changes nothing")
    func synAckElsewhere() {
        for state in RewriterTCPState.allCases where state != .synSent {
            var rewriter = makeRewriter(with: RewriterConnection(tcpState: state, offset: 5))
            let outcome = rewriter.receive(flow.toGuest(seq: 10, ack: 20, [.syn, .ack]), from: .netdev)
            #expect(outcome.events.isEmpty, "state \(state)")
            #expect(rewriter.connection(flow.key) == RewriterConnection(tcpState: state, offset: 5))
            #expect(outcome.frame == flow.toGuest(seq: 10, ack: 20, [.syn, .ack]))
        }
    }

    @Test("RW-8: SYN-only → SYN_RECEIVED from any state, offset untouched")
    func synFromAnyState() {
        for state in RewriterTCPState.allCases {
            var rewriter = makeRewriter(with: RewriterConnection(tcpState: state, offset: 1234, finAckSeq: 9))
            let outcome = rewriter.receive(flow.toGuest(seq: 10, .syn), from: .netdev)
            #expect(rewriter.connection(flow.key) == RewriterConnection(tcpState: .synReceived, offset: 1234, finAckSeq: 9))
            #expect(outcome.record.rewrite == nil)
        }
    }

    @Test("RW-8: SYN+FIN is SYN-only class; the FIN then finds SYN_RECEIVED and does nothing")
    func synFin() {
        var rewriter = makeRewriter(with: RewriterConnection(tcpState: .established))
        let outcome = rewriter.receive(flow.toGuest(seq: 10, [.syn, .fin]), from: .netdev)
        #expect(outcome.stateChanges.map(\.to) == [.synReceived])
    }

    @Test("RW-9.1: ACK in SYN_RECEIVED computes offset := offset − (ack − 1) and establishes")
    func ackCompletesOffset() {
        var rewriter = makeRewriter(with: RewriterConnection(tcpState: .synReceived, offset: 90_000))
        let outcome = rewriter.receive(flow.toGuest(seq: 1_001, ack: 5_001, .ack), from: .netdev)
        #expect(outcome.offsetChanges.map(\.to) == [85_000])
        #expect(outcome.offsetChanges.map(\.rule) == [.rw9_1])
        #expect(outcome.stateChanges.map(\.to) == [.established])
        #expect(rewriter.connection(flow.key)?.offset == 85_000)
    }

    @Test("RW-9.2: ACK-class with a non-zero offset gets ack + offset and a valid TCP checksum")
    func ackRewritten() {
        let payload = [UInt8]("GET / HTTP/1.0\r\n\r\n".utf8)
        for flags: TCPFlags in [.ack, [.ack, .psh], [.ack, .fin], [.ack, .rst], [.ack, .urg]] {
            var rewriter = makeRewriter(with: RewriterConnection(tcpState: .established, offset: 85_000))
            let outcome = rewriter.receive(flow.toGuest(seq: 1_001, ack: 5_001, flags, payload: payload), from: .netdev)
            #expect(outcome.record.rewrite == FieldRewrite(field: .ack, from: 5_001, to: 90_001, offset: 85_000))
            #expect(outcome.frame.ack == 90_001)
            #expect(outcome.frame.seq == 1_001)
            #expect(outcome.frame.checksumsValid())
            #expect(outcome.frame.tcp()?.flags == flags)
        }
    }

    @Test("RW-9.2: ACK-class with offset zero is not rewritten")
    func zeroOffsetUntouched() {
        var rewriter = makeRewriter(with: RewriterConnection(tcpState: .established))
        let frame = flow.toGuest(seq: 1, ack: 2, .ack, payload: [9])
        let outcome = rewriter.receive(frame, from: .netdev)
        #expect(outcome.frame == frame)
        #expect(outcome.record.unchangedReason == .offsetZero)
    }

    @Test("RW-9.3: LAST_ACK and ack = fin_ack_seq + 1 → CLOSED and removed (works with offset 0)")
    func lastAckCloses() {
        var rewriter = makeRewriter(with: RewriterConnection(tcpState: .lastAck, finAckSeq: 7_000))
        let miss = rewriter.receive(flow.toGuest(seq: 1, ack: 7_000, .ack), from: .netdev)
        #expect(miss.events.isEmpty)
        let hit = rewriter.receive(flow.toGuest(seq: 1, ack: 7_001, .ack), from: .netdev)
        #expect(hit.stateChanges.map(\.to) == [.closed])
        #expect(hit.removedEntry)
        #expect(rewriter.connection(flow.key) == nil)
        // The next frame of the tuple starts a fresh entry.
        _ = rewriter.receive(flow.toGuest(seq: 1, ack: 7_001, .ack), from: .netdev)
        #expect(rewriter.connection(flow.key) == RewriterConnection())
    }

    @Test("RW-9.3: fin_ack_seq + 1 wraps modulo 2^32")
    func lastAckWraps() {
        var rewriter = makeRewriter(with: RewriterConnection(tcpState: .lastAck, finAckSeq: UInt32.max))
        let hit = rewriter.receive(flow.toGuest(seq: 1, ack: 0, .ack), from: .netdev)
        #expect(hit.removedEntry)
    }

    @Test("RW-10.1: FIN in ESTABLISHED → CLOSE_WAIT, evaluated after RW-9 (the FIN+ACK is rewritten first)")
    func finToCloseWait() {
        var rewriter = makeRewriter(with: RewriterConnection(tcpState: .established, offset: 100))
        let outcome = rewriter.receive(flow.toGuest(seq: 1, ack: 2, [.fin, .ack]), from: .netdev)
        #expect(outcome.frame.ack == 102)
        #expect(outcome.stateChanges.map(\.rule) == [.rw10_1])
        // A bare FIN (no ACK) also counts.
        var bare = makeRewriter(with: RewriterConnection(tcpState: .established))
        #expect(bare.receive(flow.toGuest(seq: 1, .fin), from: .netdev).stateChanges.map(\.to) == [.closeWait])
    }

    @Test("RW-10.1/RW-9.1: ACK+FIN in SYN_RECEIVED establishes and then closes to CLOSE_WAIT in one frame")
    func establishThenCloseWait() {
        var rewriter = makeRewriter(with: RewriterConnection(tcpState: .synReceived, offset: 50))
        let outcome = rewriter.receive(flow.toGuest(seq: 1, ack: 11, [.ack, .fin]), from: .netdev)
        #expect(outcome.stateChanges.map(\.to) == [.established, .closeWait])
        #expect(rewriter.connection(flow.key)?.offset == 40)
    }

    @Test("RW-10.2: FIN in FIN_WAIT_1 → CLOSED and the entry is removed")
    func finWait1Closes() {
        var rewriter = makeRewriter(with: RewriterConnection(tcpState: .finWait1, offset: 3))
        let outcome = rewriter.receive(flow.toGuest(seq: 1, ack: 2, [.fin, .ack]), from: .netdev)
        #expect(outcome.frame.ack == 5)
        #expect(outcome.stateChanges.map(\.rule) == [.rw10_2])
        #expect(outcome.removedEntry)
        #expect(rewriter.connection(flow.key) == nil)
    }

    @Test("RW-9.3 then RW-10: an entry removed by the ACK is not revived by the FIN of the same frame")
    func removedThenFin() {
        var rewriter = makeRewriter(with: RewriterConnection(tcpState: .lastAck, finAckSeq: 10))
        let outcome = rewriter.receive(flow.toGuest(seq: 1, ack: 11, [.ack, .fin]), from: .netdev)
        #expect(outcome.stateChanges.map(\.to) == [.closed])
        #expect(rewriter.table.count == 0)
    }
}

extension FilterRewriter {
    /// Test hook: shape an entry directly.
    mutating func setConnectionForTesting(_ key: ConnectionKey, _ entry: RewriterConnection) {
        setEntry(key, entry)
    }
}
