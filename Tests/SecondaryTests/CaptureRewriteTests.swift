import Testing
@testable import Fabric
@testable import Secondary

@Suite("Capture rewrite and its reports (lockstep rewrite)")
struct CaptureRewriteTests {
    let flow = Flow()
    let start: UInt64 = 1_700_000_000_000_000

    func capture() -> [TimedFrame] {
        let frames = [
            flow.toGuest(seq: 1_000, .syn),
            flow.fromGuest(seq: 90_000, ack: 1_001, [.syn, .ack]),
            flow.toGuest(seq: 1_001, ack: 5_001, .ack),
            flow.fromGuest(seq: 90_001, ack: 1_001, [.ack, .psh], payload: [0x68, 0x69]),
            flow.builder(from: flow.client, to: flow.guest).udp(sourcePort: 53, destinationPort: 53, payload: [1]),
            flow.toGuest(seq: 1_001, ack: 5_003, .ack),
        ]
        return frames.enumerated().map { TimedFrame(timestampMicroseconds: start + UInt64($0.offset) * 100, frame: $0.element) }
    }

    @Test("lockstep rewrite: JSON lines, golden (stable key order and tokens)")
    func jsonGolden() {
        let options = CaptureRewriteOptions(guestAddress: flow.guest, checkpointTimes: [450], failoverTime: 450)
        let result = CaptureRewrite.run(capture(), options: options)
        let lines = result.events.map(RewriteReport.jsonLine)
        let conn = "\"connection\":\"tcp 10.0.0.2:80 > 10.0.0.1:40000\""
        let golden = [
            "{\"event\":\"state\",\"time_us\":0,\"index\":0,\(conn),\"rule\":\"RW-8\",\"from\":\"CLOSED\",\"to\":\"SYN_RECEIVED\"}",
            "{\"event\":\"forward\",\"time_us\":0,\"index\":0,\"direction\":\"to_guest\",\"handling\":\"stolen\",\(conn),\"reason\":\"not_ack_class\",\"detail\":null,\"rewritten\":null,\"sack\":[],\"checksum\":null}",
            "{\"event\":\"offset_learned\",\"time_us\":100,\"index\":1,\(conn),\"rule\":\"RW-11.1\",\"from\":0,\"to\":90000}",
            "{\"event\":\"forward\",\"time_us\":100,\"index\":1,\"direction\":\"from_guest\",\"handling\":\"stolen\",\(conn),\"reason\":\"not_ack_class\",\"detail\":null,\"rewritten\":null,\"sack\":[],\"checksum\":null}",
            "{\"event\":\"offset_learned\",\"time_us\":200,\"index\":2,\(conn),\"rule\":\"RW-9.1\",\"from\":90000,\"to\":85000}",
            "{\"event\":\"state\",\"time_us\":200,\"index\":2,\(conn),\"rule\":\"RW-9.1\",\"from\":\"SYN_RECEIVED\",\"to\":\"ESTABLISHED\"}",
            "{\"event\":\"forward\",\"time_us\":200,\"index\":2,\"direction\":\"to_guest\",\"handling\":\"stolen\",\(conn),\"reason\":null,\"detail\":null,\"rewritten\":{\"field\":\"ack\",\"from\":5001,\"to\":90001,\"offset\":85000},\"sack\":[],\"checksum\":{\"status\":\"written\",\"at\":50,\"from\":59343,\"to\":39878,\"past_frame\":false}}",
            "{\"event\":\"forward\",\"time_us\":300,\"index\":3,\"direction\":\"from_guest\",\"handling\":\"stolen\",\(conn),\"reason\":null,\"detail\":null,\"rewritten\":{\"field\":\"seq\",\"from\":90001,\"to\":5001,\"offset\":85000},\"sack\":[],\"checksum\":{\"status\":\"written\",\"at\":50,\"from\":13139,\"to\":32604,\"past_frame\":false}}",
            "{\"event\":\"forward\",\"time_us\":400,\"index\":4,\"direction\":\"to_guest\",\"handling\":\"passed\",\"connection\":null,\"reason\":\"not_tcp\",\"detail\":\"udp\",\"rewritten\":null,\"sack\":[],\"checksum\":null}",
            "{\"event\":\"checkpoint\",\"time_us\":450,\"entries\":1,\"offsets_reset\":1,\"pending_isns_cleared\":0}",
            "{\"event\":\"failover\",\"time_us\":450,\"entered\":true,\"nonzero_offsets\":0}",
            "{\"event\":\"forward\",\"time_us\":500,\"index\":5,\"direction\":\"to_guest\",\"handling\":\"stolen\",\(conn),\"reason\":\"offset_zero\",\"detail\":null,\"rewritten\":null,\"sack\":[],\"checksum\":null}",
        ]
        #expect(lines.count == golden.count)
        for (line, expected) in zip(lines, golden) { #expect(line == expected) }
    }

    @Test("lockstep rewrite: every frame leaves once, in order, with its input timestamp")
    func outputFrames() {
        let input = capture()
        let result = CaptureRewrite.run(input, options: CaptureRewriteOptions(guestAddress: flow.guest))
        #expect(result.output.map(\.timestampMicroseconds) == input.map(\.timestampMicroseconds))
        #expect(result.output[2].frame.ack == 90_001)
        #expect(result.output[3].frame.seq == 5_001)
        #expect(result.output[4].frame == input[4].frame)
        #expect(result.output.allSatisfy { $0.frame.checksumsValid() })
        #expect(result.counters.framesReceived == input.count)
        #expect(result.events.filter { $0.event.token == "forward" }.map(\.frameIndex) == Array(0..<input.count).map { $0 })
    }

    @Test("lockstep rewrite: the direction comes from the IPv4 source, looking past VLAN tags; non-IPv4 goes to the guest")
    func directions() {
        #expect(CaptureRewrite.direction(of: flow.fromGuest(seq: 1, .syn), guest: flow.guest) == .nic)
        #expect(CaptureRewrite.direction(of: flow.toGuest(seq: 1, .syn), guest: flow.guest) == .netdev)
        var tagged = flow
        tagged.vlanTags = [(EtherType.vlan, 3)]
        #expect(CaptureRewrite.direction(of: tagged.fromGuest(seq: 1, .syn), guest: flow.guest) == .nic)
        let arp = flow.builder(from: flow.guest, to: flow.client).arp(operation: 1)
        #expect(CaptureRewrite.direction(of: arp, guest: flow.guest) == .netdev)
        #expect(CaptureRewrite.direction(of: Frame([]), guest: flow.guest) == .netdev)
    }

    @Test("lockstep rewrite: events scheduled at T run before frames stamped T; late ones run at the end")
    func scheduling() {
        let options = CaptureRewriteOptions(guestAddress: flow.guest, checkpointTimes: [9_999, 200], failoverTime: 200)
        let result = CaptureRewrite.run(capture(), options: options)
        let tokens = result.events.map { "\($0.event.token)@\($0.timeMicroseconds)" }
        let checkpoint = tokens.firstIndex(of: "checkpoint@200")
        let failover = tokens.firstIndex(of: "failover@200")
        let frame2 = result.events.firstIndex { $0.frameIndex == 2 }
        #expect(checkpoint != nil && failover != nil && frame2 != nil)
        if let checkpoint, let failover, let frame2 { #expect(checkpoint < failover && failover < frame2) }
        #expect(tokens.last == "checkpoint@9999")
        // The checkpoint at 200 zeroed the parked ISN, so the failover is entered (RW-15) and the
        // tracked handshake then completes with the bogus offset 0 − (ack − 1).
        #expect(result.events.contains { $0.event == .failover(entered: true, nonZeroOffsets: 0) })
        #expect(result.events.contains { $0.event == .offsetLearned(key: flow.key, from: 0, to: 0 &- 5_000, rule: .rw9_1) })
    }

    @Test("lockstep rewrite: text report names every decision")
    func textReport() {
        let input = capture()
        let result = CaptureRewrite.run(input, options: CaptureRewriteOptions(guestAddress: flow.guest, checkpointTimes: [450]))
        let text = RewriteReport.textLines(result, input: input)
        #expect(text.first == "#0 +0.000000 to_guest IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, ack 0, win 65535, length 0")
        #expect(text.contains("    state CLOSED -> SYN_RECEIVED (RW-8)"))
        #expect(text.contains("    stolen, copy rewritten: ack 5001 -> 90001 (offset 85000), checksum 0xe7cf -> 0x9bc6 at byte 50"))
        #expect(text.contains("    passed through unchanged: not TCP (udp)"))
        #expect(text.contains("@ +0.000450 checkpoint: 1 entries, 1 offsets reset to 0"))
        #expect(text.last?.hasPrefix("summary: 6 frames, 5 handled, 2 rewritten, 1 passed through") == true)
    }

    @Test("lockstep rewrite: an empty capture yields no frames and runs scheduled events")
    func emptyCapture() {
        let result = CaptureRewrite.run([], options: CaptureRewriteOptions(guestAddress: flow.guest, checkpointTimes: [5]))
        #expect(result.output.isEmpty)
        #expect(result.events.map(\.event) == [.checkpoint(entries: 0, offsetsReset: 0, pendingISNsCleared: 0)])
    }
}
