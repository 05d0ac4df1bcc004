import Testing
@testable import Fabric
@testable import Secondary

@Suite("RW-13 checksum recomputation")
struct ChecksumRuleTests {
    /// An established connection with a non-zero offset, for frames built by `flow`.
    func established(_ flow: Flow, profile: RewriterProfile = .upstream, offset: UInt32 = 85_000, vnet: UInt32 = 0) -> FilterRewriter {
        var rewriter = FilterRewriter(profile: profile, vnetHeaderLength: vnet)
        rewriter.setConnectionForTesting(flow.key, RewriterConnection(tcpState: .established, offset: offset))
        return rewriter
    }

    /// QEMU's computation written out independently: zero the field 20 bytes + 16 after the IP
    /// header, sum `ipTotal − 4·IHL` bytes from IP + 20 plus the pseudo-header, store it there.
    func qemuReference(_ bytes: [UInt8], ip: Int) -> (field: Int, value: UInt16) {
        var copy = bytes
        let ihl = Int(copy[ip] & 0x0f) * 4
        let length = Int(copy.be16(at: ip + 2)) - ihl
        copy[ip + 36] = 0
        copy[ip + 37] = 0
        let pseudoHeader = Array(copy[ip + 12..<ip + 20]) + [0, 6, UInt8(length >> 8), UInt8(length & 0xff)]
        return (ip + 36, InternetChecksum.checksum(pseudoHeader + copy[ip + 20..<ip + 20 + length]))
    }

    @Test("RW-13: rewritten frames carry a valid TCP checksum; the IP header checksum is untouched")
    func validAfterRewrite() {
        let flow = Flow()
        var rewriter = established(flow)
        for size in [0, 1, 2, 3, 511, 1_460] {
            let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let input = flow.toGuest(seq: 1, ack: 5_001, .ack, payload: payload)
            let outcome = rewriter.receive(input, from: .netdev)
            #expect(outcome.frame.checksumsValid())
            #expect(outcome.frame.bytes[14..<34] == input.bytes[14..<34])
            guard case .written(let field, _, let value, let misplaced, let past)? = outcome.record.checksum else {
                Issue.record("no checksum outcome"); return
            }
            #expect(field == 14 + 20 + 16)
            #expect(!misplaced && !past)
            #expect(outcome.frame.bytes.be16(at: field) == value)
        }
    }

    @Test("RW-13 quirk: with IP options the checksum is computed over and written to the wrong place (upstream)")
    func ipOptionsMisplaced() {
        for optionLength in [4, 8, 12, 40] {
            var flow = Flow()
            flow.ipOptions = [UInt8](repeating: 1, count: optionLength)  // NOPs
            var rewriter = established(flow)
            let input = flow.toGuest(seq: 1, ack: 5_001, [.ack, .psh], payload: [UInt8](repeating: 0x41, count: 64))
            let outcome = rewriter.receive(input, from: .netdev)
            // The ack is rewritten at its real place …
            var expected = input.bytes
            expected.setBE32(90_001, at: 14 + 20 + optionLength + 8)
            // … and QEMU's checksum lands 36 bytes after the IP header start.
            let reference = qemuReference(expected, ip: 14)
            expected.setBE16(reference.value, at: reference.field)
            #expect(outcome.frame.bytes == expected, "options \(optionLength)")
            #expect(!outcome.frame.checksumsValid())
            guard case .written(let field, _, let value, let misplaced, _)? = outcome.record.checksum else {
                Issue.record("no checksum outcome"); return
            }
            #expect(field == 14 + 36 && value == reference.value && misplaced)
            // With 20 or more bytes of options the write lands inside the IP options and breaks
            // the IP header checksum as well.
            #expect(IPv4Header.checksumIsValid(outcome.frame.bytes, at: 14) == (optionLength < 20))
        }
    }

    @Test("RW-13 quirk: with 4 bytes of IP options the misplaced write lands on data offset and flags, which later rules re-read")
    func misplacedWriteChangesFlags() {
        var flow = Flow()
        flow.ipOptions = [1, 1, 1, 1]
        var rewriter = established(flow)
        let outcome = rewriter.receive(flow.toGuest(seq: 1, ack: 5_001, .ack, payload: [1, 2, 3]), from: .netdev)
        guard case .written(_, _, let value, _, _)? = outcome.record.checksum else { Issue.record("no checksum"); return }
        let tcp = 14 + 24
        #expect(outcome.frame.bytes[tcp + 12] == UInt8(value >> 8))
        #expect(outcome.frame.bytes[tcp + 13] == UInt8(value & 0xff))
        // RW-10 reads the flags after the write: if the new flags byte has FIN, ESTABLISHED → CLOSE_WAIT.
        let finNow = TCPFlags(rawValue: UInt8(value & 0xff)).contains(.fin)
        #expect((rewriter.connection(flow.key)?.tcpState == .closeWait) == finNow)
    }

    @Test("RW-13 fixed: with IP options the corrected placement yields a valid checksum")
    func ipOptionsFixed() {
        var flow = Flow()
        flow.ipOptions = [0x94, 0x04, 0, 0, 1, 1, 1, 1]  // router alert + NOPs
        var rewriter = established(flow, profile: .fixed)
        let outcome = rewriter.receive(flow.toGuest(seq: 1, ack: 5_001, .ack, payload: [9, 9, 9]), from: .netdev)
        #expect(outcome.frame.ack == 90_001)
        #expect(outcome.frame.checksumsValid())
        guard case .written(let field, _, _, let misplaced, _)? = outcome.record.checksum else { Issue.record("no checksum"); return }
        #expect(field == 14 + 28 + 16 && !misplaced)
    }

    @Test("RW-13: skipped for fragments (the ack is still rewritten, the old checksum stays)")
    func skippedForFragments() {
        let flow = Flow()
        var rewriter = established(flow)
        var builder = flow.builder(from: flow.client, to: flow.guest)
        builder.moreFragments = true
        builder.dontFragment = false
        let input = builder.tcp(sourcePort: flow.clientPort, destinationPort: flow.guestPort, seq: 1, ack: 5_001, flags: .ack, payload: [1, 2])
        let outcome = rewriter.receive(input, from: .netdev)
        #expect(outcome.frame.ack == 90_001)
        #expect(outcome.record.checksum == .skipped(.fragment))
        #expect(outcome.frame.bytes.be16(at: 14 + 36) == input.bytes.be16(at: 14 + 36))
        // A non-zero fragment offset is a fragment too (P-2: still parsed as if it began with TCP).
        builder.moreFragments = false
        builder.fragmentOffset = 3
        let later = builder.tcp(sourcePort: flow.clientPort, destinationPort: flow.guestPort, seq: 1, ack: 5_001, flags: .ack)
        #expect(rewriter.receive(later, from: .netdev).record.checksum == .skipped(.fragment))
    }

    @Test("RW-13: skipped when the frame is shorter than the IP total length; padding is excluded")
    func truncatedAndPadding() {
        let flow = Flow()
        var rewriter = established(flow)
        var input = flow.toGuest(seq: 1, ack: 5_001, .ack, payload: [1, 2, 3, 4])
        input.bytes.setBE16(input.bytes.be16(at: 16) + 1, at: 16)
        #expect(rewriter.receive(input, from: .netdev).record.checksum == .skipped(.truncated))

        var padded = flow.builder(from: flow.client, to: flow.guest)
        padded.trailer = [0xde, 0xad, 0xbe, 0xef, 0x55, 0x55]
        let frame = padded.tcp(sourcePort: flow.clientPort, destinationPort: flow.guestPort, seq: 1, ack: 5_001, flags: .ack)
        let outcome = rewriter.receive(frame, from: .netdev)
        #expect(outcome.frame.checksumsValid())
        #expect(outcome.frame.bytes.suffix(6) == [0xde, 0xad, 0xbe, 0xef, 0x55, 0x55])
    }

    @Test("RW-13: skipped when IP total length − 4·IHL is below a TCP header")
    func shortTCPLength() {
        let flow = Flow()
        var rewriter = established(flow)
        var input = flow.toGuest(seq: 1, ack: 5_001, .ack, payload: [1, 2, 3, 4])
        input.bytes.setBE16(20 + 19, at: 16)
        let outcome = rewriter.receive(input, from: .netdev)
        #expect(outcome.frame.ack == 90_001)
        #expect(outcome.record.checksum == .skipped(.tcpTooShort))
    }

    @Test("RW-13 quirk: a total length below 4·IHL slips through and sums past the frame (upstream); fixed skips")
    func negativeTCPLength() {
        let flow = Flow()
        var input = flow.toGuest(seq: 1, ack: 5_001, .ack)
        input.bytes.setBE16(10, at: 16)
        var upstream = established(flow)
        let quirky = upstream.receive(input, from: .netdev)
        guard case .written(let field, _, _, _, let past)? = quirky.record.checksum else { Issue.record("no checksum"); return }
        #expect(field == 14 + 36 && past)
        var fixed = established(flow, profile: .fixed)
        #expect(fixed.receive(input, from: .netdev).record.checksum == .skipped(.tcpTooShort))
    }

    @Test("RW-13: the checksum is computed after the V bytes with the vnet header in place")
    func vnetHeader() {
        var flow = Flow()
        flow.vnetHeader = [UInt8](repeating: 0xaa, count: 10)
        var rewriter = established(flow, vnet: 10)
        let outcome = rewriter.receive(flow.fromGuest(seq: 90_001, ack: 1, .ack, payload: [1, 2, 3]), from: .nic)
        #expect(outcome.frame.tcp(ipOffset: 24)?.sequenceNumber == 5_001)
        #expect(outcome.frame.checksumsValid(ipOffset: 24))
        #expect(outcome.frame.bytes.prefix(10).allSatisfy { $0 == 0xaa })
    }
}
