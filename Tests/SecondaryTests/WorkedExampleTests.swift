import Testing
@testable import Fabric
@testable import Secondary

@Suite("RW-12 offsets: the worked example end to end, and arithmetic modulo 2^32")
struct WorkedExampleTests {
    @Test("RW-12: worked example — S guest data leaves byte-identical to P guest data")
    func workedExample() {
        let flow = Flow()
        let (c0, p0, s0): (UInt32, UInt32, UInt32) = (1_000, 5_000, 90_000)
        var rewriter = FilterRewriter()

        // 1. C → SYN, mirrored to S.
        let syn = rewriter.receive(flow.toGuest(seq: c0, .syn), from: .netdev)
        #expect(syn.stateChanges.map(\.to) == [.synReceived])
        #expect(syn.frame == flow.toGuest(seq: c0, .syn))

        // 2. S guest SYN+ACK seq = s0: offset := s0, not rewritten.
        let sSynAck = flow.fromGuest(seq: s0, ack: c0 + 1, [.syn, .ack])
        let step2 = rewriter.receive(sSynAck, from: .nic)
        #expect(step2.offsetChanges.map(\.to) == [s0])
        #expect(step2.frame == sSynAck)

        // 3. P guest's SYN+ACK (seq p0) reaches C through compare; the rewriter never sees it.
        // 4. C → ACK ack = p0 + 1: offset := s0 − p0, ESTABLISHED, ack rewritten to s0 + 1.
        let step4 = rewriter.receive(flow.toGuest(seq: c0 + 1, ack: p0 + 1, .ack), from: .netdev)
        #expect(step4.offsetChanges.map(\.to) == [s0 - p0])
        #expect(step4.stateChanges.map(\.to) == [.established])
        #expect(step4.frame.ack == s0 + 1)
        #expect(step4.frame.checksumsValid())

        // Client data keeps its seq; its ack moves into S's space.
        let request = [UInt8]("GET /index.html HTTP/1.1\r\n\r\n".utf8)
        let step4b = rewriter.receive(flow.toGuest(seq: c0 + 1, ack: p0 + 1, [.ack, .psh], payload: request), from: .netdev)
        #expect(step4b.frame.seq == c0 + 1)
        #expect(step4b.frame.ack == s0 + 1)

        // 5. S guest data seq = s0 + 1 + n → p0 + 1 + n, identical to what P's guest sends.
        let reply = [UInt8]("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi".utf8)
        for n: UInt32 in [0, UInt32(reply.count)] {
            let ack = c0 + 1 + UInt32(request.count)
            let sData = flow.fromGuest(seq: s0 + 1 + n, ack: ack, [.ack, .psh], payload: reply)
            let pData = flow.fromGuest(seq: p0 + 1 + n, ack: ack, [.ack, .psh], payload: reply)
            let step5 = rewriter.receive(sData, from: .nic)
            #expect(step5.frame == pData)
            #expect(step5.frame.checksumsValid())
        }
    }

    @Test("RW-12: only passively opened connections learn an offset")
    func activeOpenLearnsNothing() {
        let flow = Flow()
        var rewriter = FilterRewriter()
        _ = rewriter.receive(flow.fromGuest(seq: 90_000, .syn), from: .nic)
        let synAck = rewriter.receive(flow.toGuest(seq: 1_000, ack: 5_001, [.syn, .ack]), from: .netdev)
        #expect(synAck.frame.ack == 5_001)
        let ack = rewriter.receive(flow.fromGuest(seq: 90_001, ack: 1_001, .ack), from: .nic)
        #expect(ack.frame.seq == 90_001)
        #expect(rewriter.connection(flow.key) == RewriterConnection(tcpState: .established))
    }

    @Test("RW-12/§0: offsets and rewrites wrap across 2^32")
    func wrapAcross2To32() {
        var open = PassiveOpen()
        open.p0 = UInt32.max - 10   // primary ISN just below 2^32
        open.s0 = 20                // secondary ISN just above 0
        open.c0 = UInt32.max - 1
        var rewriter = FilterRewriter()
        let outcomes = open.run(&rewriter)
        #expect(rewriter.connection(open.flow.key)?.offset == 31)  // 20 − (2^32 − 11) mod 2^32
        // The client's ACK of p0 + 1 = 2^32 − 10 becomes s0 + 1 = 21.
        #expect(outcomes[2].frame.ack == 21)
        // C's data seq wraps past zero untouched; its ack of later P data wraps into S space.
        let data = rewriter.receive(open.flow.toGuest(seq: 3, ack: 5, .ack, payload: [1]), from: .netdev)
        #expect(data.frame.ack == 36)
        #expect(data.frame.checksumsValid())
        // S data at seq 21 + n maps back across zero to p0 + 1 + n.
        let sData = rewriter.receive(open.flow.fromGuest(seq: 25, ack: 3, .ack, payload: [7, 7]), from: .nic)
        #expect(sData.frame.seq == UInt32.max - 5)  // p0 + 1 + 4
        #expect(sData.frame.checksumsValid())
    }
}
