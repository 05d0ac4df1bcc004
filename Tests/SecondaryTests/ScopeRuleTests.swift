import Testing
@testable import Fabric
@testable import Secondary

@Suite("Rewriter scope, sides and handling (RW-1..RW-5, P-5)")
struct ScopeRuleTests {
    let flow = Flow()

    @Test("RW-1: V used for parsing is the configured netdev vnet length, not the frame's metadata")
    func vnetHeaderFromConfiguration() {
        var vnetFlow = Flow()
        vnetFlow.vnetHeader = [UInt8](repeating: 0, count: 12)
        var frame = vnetFlow.toGuest(seq: 1, .syn)
        frame.vnetHeaderLength = 0  // metadata QEMU never consults
        var withSupport = FilterRewriter(vnetHeaderLength: 12)
        let handled = withSupport.receive(frame, from: .netdev)
        #expect(handled.wasStolen)
        #expect(withSupport.connection(vnetFlow.key)?.tcpState == .synReceived)
        // Without vnet_hdr_support the 12 leading zero bytes are taken for the Ethernet header.
        var withoutSupport = FilterRewriter()
        let passed = withoutSupport.receive(frame, from: .netdev)
        #expect(passed.handling == .passed)
        #expect(withoutSupport.table.count == 0)
        #expect(passed.frame == frame)
    }

    @Test("RW-2: non-TCP and unparseable frames pass untouched and create no entry")
    func nonTCPPassesUntouched() {
        var rewriter = FilterRewriter()
        let builder = IPv4FrameBuilder(source: flow.client, destination: flow.guest)
        var dot1q = flow
        dot1q.vlanTags = [(EtherType.vlan, 5)]
        let cases: [(Frame, String)] = [
            (builder.udp(sourcePort: 1, destinationPort: 2, payload: [1, 2, 3]), "not_tcp"),
            (builder.icmp(type: 8), "not_tcp"),
            (builder.arp(operation: 1), "unparseable"),
            (builder.ipv6(), "unparseable"),
            (dot1q.toGuest(seq: 1, .syn), "unparseable"),
            (Frame([1, 2, 3]), "unparseable"),
            (Frame([]), "unparseable"),
        ]
        for (frame, token) in cases {
            for side in RewriterSide.allCases {
                let outcome = rewriter.receive(frame, from: side)
                #expect(outcome.handling == .passed)
                #expect(outcome.frame == frame)
                #expect(outcome.record.unchangedReason?.token == token)
                #expect(outcome.events.isEmpty)
            }
        }
        #expect(rewriter.table.count == 0)
        #expect(rewriter.counters.passedNotTCP == 4)
        #expect(rewriter.counters.passedUnparseable == 10)
    }

    @Test("RW-2 with P-1.4 quirk: 802.1ad-tagged TCP is handled, and its checksum uses the 18-byte L2 header")
    func qinqTaggedIsHandled() {
        var tagged = flow
        tagged.vlanTags = [(EtherType.qinq, 7)]
        var rewriter = FilterRewriter()
        var open = PassiveOpen()
        open.flow = tagged
        open.run(&rewriter)
        #expect(rewriter.connection(tagged.key)?.offset == open.offset)
        let data = rewriter.receive(tagged.toGuest(seq: 1_001, ack: 5_001, .ack), from: .netdev)
        #expect(data.frame.tcp(ipOffset: 18)?.acknowledgementNumber == 5_001 &+ open.offset)
        #expect(data.frame.checksumsValid(ipOffset: 18))
    }

    @Test("RW-3: netdev frames use the reversed key so both directions share one entry")
    func bothDirectionsShareOneEntry() {
        var rewriter = FilterRewriter()
        _ = rewriter.receive(flow.toGuest(seq: 1, .syn), from: .netdev)
        _ = rewriter.receive(flow.fromGuest(seq: 9, ack: 2, [.syn, .ack]), from: .nic)
        #expect(rewriter.table.count == 1)
        let entry = rewriter.connections.first
        #expect(entry?.key == flow.key)
        #expect(entry?.key.addressA == flow.guest)
        #expect(entry?.value.offset == 9)
    }

    @Test("RW-3: the side is decided by the sender, not by the addresses")
    func sideFollowsSender() {
        var rewriter = FilterRewriter()
        // A guest-addressed SYN arriving from the netdev is treated by the primary-side rules
        // with the reversed key, so it lands on the client→guest orientation of the key.
        let outcome = rewriter.receive(flow.fromGuest(seq: 1, .syn), from: .netdev)
        #expect(outcome.stateChanges.map(\.rule) == [.rw8])
        #expect(rewriter.connection(flow.key.reversedKey)?.tcpState == .synReceived)
    }

    @Test("RW-4: in failover mode a TCP frame without an entry passes and creates none")
    func failoverGate() {
        var rewriter = FilterRewriter()
        _ = rewriter.receive(flow.toGuest(seq: 1, .syn), from: .netdev)
        #expect(rewriter.failover() == .failover(entered: true, nonZeroOffsets: 0))
        var other = flow
        other.clientPort = 41_000
        let untracked = rewriter.receive(other.toGuest(seq: 1, .syn), from: .netdev)
        #expect(untracked.handling == .passed)
        #expect(untracked.record.unchangedReason == .failoverUntracked)
        #expect(rewriter.connection(other.key) == nil)
        let tracked = rewriter.receive(flow.fromGuest(seq: 77, ack: 2, [.syn, .ack]), from: .nic)
        #expect(tracked.wasStolen)
        #expect(rewriter.connection(flow.key)?.offset == 77)
    }

    @Test("RW-5: a handled frame is stolen and its copy continues; unchanged when there is nothing to rewrite")
    func handledFramesAreStolen() {
        var rewriter = FilterRewriter()
        let frame = flow.toGuest(seq: 1, ack: 1, .ack, payload: [1, 2, 3])
        let outcome = rewriter.receive(frame, from: .netdev)
        #expect(outcome.handling == .stolen)
        #expect(outcome.frame == frame)
        #expect(outcome.record.unchangedReason == .offsetZero)
        #expect(outcome.record.rewrite == nil)
        #expect(outcome.record.checksum == nil)
        let syn = rewriter.receive(flow.toGuest(seq: 1, .syn), from: .netdev)
        #expect(syn.record.unchangedReason == .notAckClass)
    }

    @Test("P-5: a new key on a table holding more than the limit clears the table first (offsets and states lost)")
    func tableReset() {
        var rewriter = FilterRewriter(tableResetThreshold: 2)
        let open = PassiveOpen()
        open.run(&rewriter)
        for port in UInt16(1)...2 {
            var other = flow
            other.clientPort = port
            _ = rewriter.receive(other.toGuest(seq: 1, .syn), from: .netdev)
        }
        #expect(rewriter.table.count == 3)
        var fourth = flow
        fourth.clientPort = 9
        let outcome = rewriter.receive(fourth.toGuest(seq: 1, .syn), from: .netdev)
        #expect(outcome.events.first == .tableReset(droppedEntries: 3))
        #expect(rewriter.table.count == 1)
        #expect(rewriter.connection(flow.key) == nil)
        // The old connection now starts from scratch: its data is no longer rewritten.
        let data = rewriter.receive(flow.toGuest(seq: 1_001, ack: 5_001, .ack), from: .netdev)
        #expect(data.record.unchangedReason == .offsetZero)
        #expect(rewriter.counters.tableResets == 1)
        #expect(rewriter.counters.entriesDroppedByReset == 3)
    }
}
