import Testing
@testable import Fabric
@testable import Secondary

@Suite("Profiles: qemu-7.2 alias and the fixed profile's corrections")
struct FixedProfileTests {
    let open = PassiveOpen()
    var flow: Flow { open.flow }

    @Test("Profiles: upstream and qemu-7.2 differ only in name; fixed switches every quirk off; each switch has a bit of its own")
    func profileSwitches() {
        #expect(RewriterProfile.qemu72.quirks == RewriterProfile.upstream.quirks)
        #expect(RewriterQuirk.allCases.allSatisfy { RewriterProfile.upstream.quirks[$0] })
        #expect(RewriterQuirk.allCases.allSatisfy { !RewriterProfile.fixed.quirks[$0] })
        for quirk in RewriterQuirk.allCases {
            var quirks = RewriterProfile.upstream.quirks
            quirks[quirk] = false
            #expect(RewriterQuirk.allCases.filter { !quirks[$0] } == [quirk], "switching off \(quirk) alone")
        }
        #expect(RewriterProfile.named("qemu-7.2") == .qemu72)
        #expect(RewriterProfile.named("fixed") == .fixed)
        #expect(RewriterProfile.named("bogus") == nil)
    }

    @Test("Fixed vs RW-15 quirk: a handshake straddling a checkpoint ends with offset 0")
    func noBogusOffset() {
        var rewriter = FilterRewriter(profile: .fixed)
        _ = rewriter.receive(flow.toGuest(seq: open.c0, .syn), from: .netdev)
        let synAck = rewriter.receive(flow.fromGuest(seq: open.s0, ack: open.c0 + 1, [.syn, .ack]), from: .nic)
        #expect(synAck.events == [.isnRecorded(key: flow.key, isn: open.s0, rule: .rw11_1)])
        #expect(rewriter.checkpoint() == .checkpoint(entries: 1, offsetsReset: 0, pendingISNsCleared: 1))
        let ack = rewriter.receive(flow.toGuest(seq: open.c0 + 1, ack: open.p0 + 1, .ack), from: .netdev)
        #expect(ack.frame.ack == open.p0 + 1)
        #expect(rewriter.connection(flow.key) == RewriterConnection(tcpState: .established))
        // Without the checkpoint the fixed profile learns the same offset as upstream.
        var plain = FilterRewriter(profile: .fixed)
        open.run(&plain)
        #expect(plain.connection(flow.key)?.offset == open.offset)
    }

    @Test("Fixed vs RW-15: a pending ISN does not refuse failover, and the tracked handshake still completes")
    func failoverWithPendingISN() {
        var rewriter = FilterRewriter(profile: .fixed)
        _ = rewriter.receive(flow.toGuest(seq: open.c0, .syn), from: .netdev)
        _ = rewriter.receive(flow.fromGuest(seq: open.s0, ack: open.c0 + 1, [.syn, .ack]), from: .nic)
        #expect(rewriter.failover() == .failover(entered: true, nonZeroOffsets: 0))
        let ack = rewriter.receive(flow.toGuest(seq: open.c0 + 1, ack: open.p0 + 1, .ack), from: .netdev)
        #expect(ack.frame.ack == open.s0 + 1)
    }

    @Test("Fixed vs RW-14: guest-initiated connections learn an offset; the client's SYN+ACK is translated")
    func guestInitiatedOffset() {
        var rewriter = FilterRewriter(profile: .fixed)
        let (g0, p0, c0): (UInt32, UInt32, UInt32) = (90_000, 5_000, 1_000)  // S guest, P guest, client ISNs
        let syn = rewriter.receive(flow.fromGuest(seq: g0, .syn), from: .nic)
        #expect(syn.stateChanges.map(\.to) == [.synSent])
        #expect(syn.frame == flow.fromGuest(seq: g0, .syn))
        let synAck = rewriter.receive(flow.toGuest(seq: c0, ack: p0 + 1, [.syn, .ack]), from: .netdev)
        #expect(synAck.offsetChanges.map(\.to) == [g0 - p0])
        #expect(synAck.offsetChanges.map(\.rule) == [.rw7])
        #expect(synAck.frame.ack == g0 + 1)
        #expect(synAck.frame.tcp()?.flags == [.syn, .ack])
        #expect(synAck.frame.checksumsValid())
        let ack = rewriter.receive(flow.fromGuest(seq: g0 + 1, ack: c0 + 1, .ack), from: .nic)
        #expect(ack.frame.seq == p0 + 1)
        #expect(ack.frame == flow.fromGuest(seq: p0 + 1, ack: c0 + 1, .ack))
    }

    @Test("Fixed vs RW-14: a new client SYN on a reused tuple clears the stale offset")
    func reusedTupleClientSyn() {
        var rewriter = FilterRewriter(profile: .fixed)
        open.run(&rewriter)
        let syn = rewriter.receive(flow.toGuest(seq: 7_000, .syn), from: .netdev)
        #expect(syn.offsetChanges.map(\.to) == [0])
        #expect(rewriter.connection(flow.key) == RewriterConnection(tcpState: .synReceived))
        // A retransmitted SYN keeps the ISN the guest already answered with.
        _ = rewriter.receive(flow.fromGuest(seq: 300, ack: 7_001, [.syn, .ack]), from: .nic)
        _ = rewriter.receive(flow.toGuest(seq: 7_000, .syn), from: .netdev)
        _ = rewriter.receive(flow.toGuest(seq: 7_001, ack: 20_001, .ack), from: .netdev)
        #expect(rewriter.connection(flow.key)?.offset == 300 &- 20_000)
    }

    @Test("Fixed vs RW-14: a guest SYN on a reused tuple restarts the entry in SYN_SENT")
    func reusedTupleGuestSyn() {
        var rewriter = FilterRewriter(profile: .fixed)
        open.run(&rewriter)
        let syn = rewriter.receive(flow.fromGuest(seq: 1, .syn), from: .nic)
        #expect(syn.stateChanges.map(\.to) == [.synSent])
        #expect(rewriter.connection(flow.key) == RewriterConnection(tcpState: .synSent, pendingGuestISN: 1))
    }

    @Test("Fixed vs §8.5: SACK blocks in the client's segments are translated with the ack (upstream leaves them)")
    func sackTranslated() {
        let sack = TCPOption.sack([.init(left: 5_101, right: 5_201), .init(left: UInt32.max - 10, right: 5)])
        let input = flow.toGuest(seq: open.c0 + 1, ack: open.p0 + 1, .ack, options: [.noOperation, .noOperation, sack])
        var fixed = FilterRewriter(profile: .fixed)
        open.run(&fixed)
        let outcome = fixed.receive(input, from: .netdev)
        let o = open.offset
        let expected = TCPOption.sack([.init(left: 5_101 &+ o, right: 5_201 &+ o), .init(left: (UInt32.max - 10) &+ o, right: 5 &+ o)])
        #expect(outcome.frame.tcp()?.options == [.noOperation, .noOperation, expected])
        #expect(outcome.record.sackRewrites.count == 2)
        #expect(outcome.frame.checksumsValid())
        var upstream = FilterRewriter()
        open.run(&upstream)
        let untouched = upstream.receive(input, from: .netdev)
        #expect(untouched.frame.tcp()?.options == [.noOperation, .noOperation, sack])
        #expect(untouched.record.sackRewrites.isEmpty)
        // The guest's own SACK blocks describe the client's data: never translated.
        let guestSack = flow.fromGuest(seq: open.s0 + 1, ack: open.c0 + 1, .ack, options: [sack])
        #expect(fixed.receive(guestSack, from: .nic).frame.tcp()?.options.first == sack)
    }

    @Test("Fixed vs RW-14: the passive close removes the entry with a non-zero offset")
    func passiveCloseWithOffset() {
        var rewriter = FilterRewriter(profile: .fixed)
        open.run(&rewriter)
        let s = open.s0 + 1, p = open.p0 + 1, c = open.c0 + 1
        _ = rewriter.receive(flow.toGuest(seq: c, ack: p, [.fin, .ack]), from: .netdev)
        _ = rewriter.receive(flow.fromGuest(seq: s, ack: c + 1, [.fin, .ack]), from: .nic)
        let last = rewriter.receive(flow.toGuest(seq: c + 1, ack: p + 1, .ack), from: .netdev)
        #expect(last.frame.ack == s + 1)
        #expect(last.removedEntry)
        #expect(rewriter.table.count == 0)
    }

    @Test("Fixed vs RW-11.5/RW-10.2: a guest FIN+ACK close goes FIN_WAIT_1 → TIME_WAIT and the final ACK is translated before removal")
    func activeClose() {
        var rewriter = FilterRewriter(profile: .fixed)
        open.run(&rewriter)
        let s = open.s0 + 1, p = open.p0 + 1, c = open.c0 + 1
        let guestFin = rewriter.receive(flow.fromGuest(seq: s, ack: c, [.fin, .ack]), from: .nic)
        #expect(guestFin.frame.seq == p)
        #expect(guestFin.stateChanges.map(\.to) == [.finWait1])
        let clientFin = rewriter.receive(flow.toGuest(seq: c, ack: p + 1, [.fin, .ack]), from: .netdev)
        #expect(clientFin.frame.ack == s + 1)
        #expect(clientFin.stateChanges.map(\.to) == [.timeWait])
        let finalAck = rewriter.receive(flow.fromGuest(seq: s + 1, ack: c + 1, .ack), from: .nic)
        #expect(finalAck.frame.seq == p + 1)
        #expect(finalAck.removedEntry)
        #expect(finalAck.stateChanges.map(\.rule) == [.fixedFinalAck])
        #expect(rewriter.table.count == 0)
    }

    @Test("Fixed: each switch alone changes only its own behaviour (checksum placement switch)")
    func singleSwitch() {
        var profile = RewriterProfile.upstream
        profile.name = "upstream-with-checksum-fix"
        profile.quirks[.checksumAssumesBareIPHeader] = false
        var optioned = Flow()
        optioned.ipOptions = [1, 1, 1, 1]
        var rewriter = FilterRewriter(profile: profile)
        rewriter.setConnectionForTesting(optioned.key, RewriterConnection(tcpState: .established, offset: 9))
        let outcome = rewriter.receive(optioned.toGuest(seq: 1, ack: 1, .ack), from: .netdev)
        #expect(outcome.frame.checksumsValid())
        // The other quirks are still there: a guest FIN+ACK does not enter FIN_WAIT_1.
        #expect(rewriter.receive(optioned.fromGuest(seq: 1, ack: 1, [.fin, .ack]), from: .nic).stateChanges.isEmpty)
    }
}
