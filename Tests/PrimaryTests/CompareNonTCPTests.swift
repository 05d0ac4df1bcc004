import Testing
@testable import Fabric
@testable import Primary

@Suite("colo-compare UDP, ICMP and other protocols (C-14..C-17)")
struct CompareNonTCPTests {
    @Test("C-14 (quirk): with two primaries queued, upstream tries the newest against the oldest secondary")
    func newestPrimaryAgainstOldestSecondary() {
        for (profile, expectedReleases, requests) in [(CompareProfile.upstream, [Int](), 1), (.qemu62, [0], 0), (.fixed, [0], 0)] {
            var compare = COLOCompare.make(profile)
            _ = compare.receivePrimary(Net.udp("first"), nowMs: 0)
            _ = compare.receivePrimary(Net.udp("second"), nowMs: 0)
            let actions = compare.receiveSecondary(Net.udp("first"), nowMs: 0)
            #expect(actions.releases == expectedReleases, "\(profile)")
            #expect(actions.checkpointRequests.count == requests, "\(profile)")
            if profile == .upstream, case .noMatch(let m) = actions.checkpointRequests.first?.reason {
                #expect(m.primaryIndex == 1)
                #expect(m.firstCandidateIndex == 0 && m.candidates == 1)
                #expect(m.difference == .lengthDiffers(primary: Net.udp("second").count, secondary: Net.udp("first").count))
            }
        }
    }

    @Test("C-14: the first equal secondary wherever it sits is consumed; the others stay")
    func matchAnywhere() {
        var compare = COLOCompare.make()
        _ = compare.receiveSecondary(Net.udp("other"), nowMs: 0)
        _ = compare.receiveSecondary(Net.udp("wanted"), nowMs: 0)
        _ = compare.receiveSecondary(Net.udp("wanted"), nowMs: 0)
        let actions = compare.receivePrimary(Net.udp("wanted"), nowMs: 0)
        #expect(actions.releaseReasons == [.matched(secondaryIndex: 1, how: .identicalPacket)])
        #expect(actions.drops.map(\.index) == [1])
        #expect(compare.connectionSnapshots.first?.secondaryQueue == [0, 2])
    }

    @Test("C-14: the loop runs while both queues are non-empty and stops at the first non-match")
    func loopStopsAtMismatch() {
        var compare = COLOCompare.make(.fixed)
        _ = compare.receivePrimary(Net.udp("a"), nowMs: 0)
        _ = compare.receivePrimary(Net.udp("b"), nowMs: 0)
        _ = compare.receivePrimary(Net.udp("c"), nowMs: 0)
        _ = compare.receiveSecondary(Net.udp("z"), nowMs: 0)
        _ = compare.receiveSecondary(Net.udp("c"), nowMs: 0)   // a vs {z, c}: no match → stop
        let actions = compare.receiveSecondary(Net.udp("a"), nowMs: 0)   // a matches; b vs {z, c}: stop
        #expect(actions.releases == [0])
        #expect(actions.checkpointRequests.count == 1)
        #expect(compare.connectionSnapshots.first?.primaryQueue == [1, 2])
    }

    @Test("C-15: UDP compares the UDP header (incl. checksum) and payload, not the IP header; lengths must match")
    func udpEquality() {
        var compare = COLOCompare.make()
        _ = compare.receivePrimary(Net.udp("payload") { $0.ttl = 64; $0.identification = 1 }, nowMs: 0)
        let same = compare.receiveSecondary(Net.udp("payload") { $0.ttl = 3; $0.identification = 99 }, nowMs: 0)
        #expect(same.releases == [0])

        _ = compare.receivePrimary(Net.udp("payload"), nowMs: 0)
        let checksum = compare.receiveSecondary(Net.udp("payload", checksumOverride: 0x1234), nowMs: 0)
        guard case .noMatch(let m) = checksum.checkpointRequests.first?.reason,
              case .bytesDiffer(let difference) = m.difference else {
            Issue.record("expected a byte difference")
            return
        }
        #expect(difference.primaryFrameOffset == 14 + 20 + 6)

        var padded = COLOCompare.make()
        _ = padded.receivePrimary(Net.udp("x") { $0.trailer = [0] }, nowMs: 0)
        let length = padded.receiveSecondary(Net.udp("x"), nowMs: 0)
        #expect(length.checkpointRequests.count == 1)
    }

    @Test("C-15 (quirk): UDP starts at V + 14 + 4·IHL even for 802.1ad frames; fixed uses the real L2 length")
    func untaggedOffset() {
        // With an 18-byte L2 header and IP options, QEMU's offset lands on the last IP option word.
        func frame(option: UInt8) -> Frame {
            Net.udp("same") { $0.vlanTags = [(0x88A8, 7)]; $0.ipOptions = [1, 1, 1, option] }
        }
        for (profile, matched) in [(CompareProfile.upstream, false), (.fixed, true)] {
            var compare = COLOCompare.make(profile)
            _ = compare.receivePrimary(frame(option: 1), nowMs: 0)
            let actions = compare.receiveSecondary(frame(option: 0), nowMs: 0)
            #expect(actions.releases == (matched ? [0] : []), "\(profile)")
        }
    }

    @Test("C-16: ICMP compares type, code, checksum, id, sequence and payload; the IP header is ignored")
    func icmpEquality() {
        var compare = COLOCompare.make()
        _ = compare.receivePrimary(Net.icmpEchoReply(sequence: 1) { $0.ttl = 64 }, nowMs: 0)
        #expect(compare.receiveSecondary(Net.icmpEchoReply(sequence: 1) { $0.ttl = 1 }, nowMs: 0).releases == [0])
        _ = compare.receivePrimary(Net.icmpEchoReply(sequence: 2), nowMs: 0)
        #expect(compare.receiveSecondary(Net.icmpEchoReply(sequence: 3), nowMs: 0).checkpointRequests.count == 1)
    }

    @Test("P-3 (correcting P-4): all ICMP shares one key, whatever the addresses")
    func icmpSharesOneKey() {
        var compare = COLOCompare.make()
        _ = compare.receivePrimary(Net.icmpEchoReply { $0.destination = IPv4Address(192, 168, 1, 1) }, nowMs: 0)
        let actions = compare.receiveSecondary(Net.icmpEchoReply { $0.destination = IPv4Address(172, 16, 0, 9) }, nowMs: 0)
        #expect(actions.releases == [0])
        #expect(compare.connectionSnapshots.count == 1)
    }

    @Test("C-17: other protocols compare every byte after V, Ethernet and IP header included")
    func otherProtocols() {
        func gre(ttl: UInt8 = 64, mac: UInt8 = 1, vnet: [UInt8] = []) -> Frame {
            var b = Net.builder
            b.ttl = ttl
            b.sourceMAC = MACAddress([0x52, 0x54, 0, 0, 0, mac])
            b.vnetHeader = vnet
            return b.datagram(protocol: IPProtocolNumber.gre, payload: [0, 0, 0x08, 0x00, 1, 2, 3, 4])
        }
        var compare = COLOCompare.make()
        _ = compare.receivePrimary(gre(vnet: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]), nowMs: 0)
        #expect(compare.receiveSecondary(gre(vnet: [9, 9, 9, 9, 9, 9, 9, 9, 9, 9]), nowMs: 0).releases == [0])
        _ = compare.receivePrimary(gre(), nowMs: 0)
        #expect(compare.receiveSecondary(gre(ttl: 63), nowMs: 0).checkpointRequests.count == 1)
        var macs = COLOCompare.make()
        _ = macs.receivePrimary(gre(), nowMs: 0)
        let actions = macs.receiveSecondary(gre(mac: 2), nowMs: 0)
        guard case .noMatch(let m) = actions.checkpointRequests.first?.reason, case .bytesDiffer(let d) = m.difference else {
            Issue.record("expected a byte difference")
            return
        }
        #expect(d.primaryFrameOffset == 11)
    }
}
