import Testing
@testable import Fabric
@testable import GuestStack

@Suite("Stack timing: RFC 6298 retransmission, delayed ACK, Nagle")
struct StackTimingTests {
    /// Data segments `a` sent after `from`, with their send times.
    private func dataSegments(_ pair: StackPair, from: VirtualTime, towardB: Bool = true) -> [(VirtualTime, SegmentView)] {
        pair.log.compactMap { entry in
            guard entry.towardB == towardB, entry.at >= from, let view = SegmentView(entry.frame), view.payloadLength > 0 else { return nil }
            return (entry.at, view)
        }
    }

    /// Connects, then loses every frame toward `a`, writes once and returns the times of the
    /// data transmissions (first send and retransmissions).
    private func retransmissionTimes(latency: VirtualDuration, minimumRTO: VirtualDuration, loseFirstSyn: Bool = false,
                                     count: Int) throws -> (start: VirtualTime, times: [VirtualTime]) {
        var pair = StackPair(latency: latency) { a, b in
            a.tcp.minimumRTO = minimumRTO
            a.tcp.maximumRetransmissions = 20
            // Static neighbours: the SYN leaves at once, so the handshake RTT is exactly 2·latency.
            a.arp.staticEntries = [StaticARPEntry(address: StackPair.addressB, mac: StackPair.macB)]
            b.arp.staticEntries = [StaticARPEntry(address: StackPair.addressA, mac: StackPair.macA)]
        }
        if loseFirstSyn {
            var droppedSyn = false
            pair.keep = { _, towardB, frame in
                guard towardB, !droppedSyn, let view = SegmentView(frame), view.tcp.flags.contains(.syn) else { return true }
                droppedSyn = true
                return false
            }
        }
        let (client, _) = try pair.connect()
        let start = pair.now
        pair.a.advance(to: start, choices: pair.chooser)
        pair.keep = { _, towardB, _ in towardB }
        try pair.a.send(Array(repeating: 0x61, count: 100), on: client, choices: pair.chooser)
        pair.run(until: start + .seconds(200))
        let times = dataSegments(pair, from: start).prefix(count).map(\.0)
        return (start, Array(times))
    }

    @Test("RFC 6298 §2.2 and §5.5: first RTT sample sets RTO, timeouts double it (minimum RTO 200 ms)")
    func backoffFromMeasuredRTO() throws {
        // Handshake RTT 20 ms: SRTT 20, RTTVAR 10, RTO = 20 + 4·10 = 60 ms, raised to the 200 ms minimum.
        let (start, times) = try retransmissionTimes(latency: .milliseconds(10), minimumRTO: .milliseconds(200), count: 6)
        let offsets = times.map { ($0 - start).milliseconds }
        #expect(offsets == [0, 200, 600, 1_400, 3_000, 6_200])
    }

    @Test("RFC 6298 §2.4: RTO below one second is rounded up to the one-second minimum")
    func rfcMinimum() throws {
        let (start, times) = try retransmissionTimes(latency: .milliseconds(10), minimumRTO: .seconds(1), count: 5)
        #expect(times.map { ($0 - start).milliseconds } == [0, 1_000, 3_000, 7_000, 15_000])
    }

    @Test("RFC 6298 §2.2: RTO = SRTT + 4·RTTVAR when above the minimum (RTT 400 ms gives 1.2 s)")
    func computedRTO() throws {
        let (start, times) = try retransmissionTimes(latency: .milliseconds(200), minimumRTO: .seconds(1), count: 4)
        #expect(times.map { ($0 - start).milliseconds } == [0, 1_200, 3_600, 8_400])
    }

    @Test("RFC 6298 §5.7: after a lost SYN, data starts with a 3 s RTO (Karn: no sample from the retransmitted SYN)")
    func synTimeoutFloor() throws {
        let (start, times) = try retransmissionTimes(
            latency: .milliseconds(10), minimumRTO: .milliseconds(200), loseFirstSyn: true, count: 3)
        #expect(times.map { ($0 - start).milliseconds } == [0, 3_000, 9_000])
    }

    @Test("RFC 6298 §2.3: smoothing with α = 1/8, β = 1/4, and the maximum RTO caps backoff")
    func estimatorArithmetic() {
        var configuration = TCPConfiguration()
        configuration.minimumRTO = .milliseconds(1)
        var estimator = RTOEstimator(configuration: configuration)
        #expect(estimator.rto == 1_000_000_000)
        estimator.sample(100_000_000)
        #expect(estimator.smoothed == 100_000_000 && estimator.variation == 50_000_000)
        #expect(estimator.rto == 300_000_000)
        estimator.sample(200_000_000)
        // RTTVAR = 3/4·50 + 1/4·|100 − 200| = 62.5 ms; SRTT = 7/8·100 + 1/8·200 = 112.5 ms.
        #expect(estimator.variation == 62_500_000 && estimator.smoothed == 112_500_000)
        #expect(estimator.rto == 112_500_000 + 250_000_000)
        for _ in 0..<20 { estimator.backOff() }
        #expect(estimator.rto == 60_000_000_000)
    }

    @Test("too many retransmissions abort the connection with timedOut")
    func retransmissionLimit() throws {
        var pair = StackPair { a, _ in
            a.tcp.maximumRetransmissions = 3
        }
        let (client, _) = try pair.connect()
        pair.a.advance(to: pair.now, choices: pair.chooser)
        pair.keep = { _, towardB, _ in towardB }
        try pair.a.send([1, 2, 3], on: client, choices: pair.chooser)
        pair.run(until: pair.now + .seconds(100))
        #expect(pair.a.status(of: client)?.error == .timedOut)
        #expect(pair.a.counters.tcpTimeouts == 3)
    }

    /// Pure ACKs `b` sent while receiving `segments` full segments from `a`.
    private func ackCount(delayedAck: Bool, segments: Int) throws -> (acks: Int, dataSegments: Int) {
        var pair = StackPair { _, b in b.tcp.delayedAck.enabled = delayedAck }
        let (client, _) = try pair.connect()
        pair.a.advance(to: pair.now, choices: pair.chooser)
        let start = pair.now
        let mss = 1_460 - 12
        try pair.a.send(Array(repeating: 7, count: mss * segments), on: client, choices: pair.chooser)
        pair.run(until: start + .seconds(5))
        let fromB = pair.log.filter { !$0.towardB && $0.at >= start }.compactMap { SegmentView($0.frame) }
        let data = dataSegments(pair, from: start)
        #expect(data.allSatisfy { $0.1.payloadLength == mss })
        return (fromB.filter { $0.payloadLength == 0 && $0.tcp.flags == [.ack] }.count, data.count)
    }

    @Test("delayed ACK on: one ACK per two full segments; off: one per segment")
    func delayedAckSegmentation() throws {
        let on = try ackCount(delayedAck: true, segments: 20)
        let off = try ackCount(delayedAck: false, segments: 20)
        #expect(on.dataSegments == 20 && off.dataSegments == 20)
        #expect(on.acks == 10)
        #expect(off.acks == 20)
    }

    @Test("delayed ACK: a lone segment is acknowledged after the configured timeout")
    func delayedAckTimeout() throws {
        for timeout in [Int64(40), 200] {
            var pair = StackPair { _, b in b.tcp.delayedAck.timeout = .milliseconds(timeout) }
            let (client, _) = try pair.connect()
            pair.a.advance(to: pair.now, choices: pair.chooser)
            let start = pair.now
            try pair.a.send([1, 2, 3, 4], on: client, choices: pair.chooser)
            pair.run(until: start + .seconds(2))
            let ack = pair.log.first { !$0.towardB && $0.at > start }
            // Arrives after 10 ms latency, acknowledged `timeout` later.
            #expect(ack.map { ($0.at - start).milliseconds } == 10 + timeout)
        }
    }

    /// Payload sizes of the data segments `a` sends for ten 100-byte writes made at one instant.
    private func segmentation(nagle: Bool) throws -> [Int] {
        var pair = StackPair { a, _ in a.tcp.nagle = nagle }
        let (client, _) = try pair.connect()
        pair.a.advance(to: pair.now, choices: pair.chooser)
        let start = pair.now
        for _ in 0..<10 { try pair.a.send(Array(repeating: 9, count: 100), on: client, choices: pair.chooser) }
        pair.run(until: start + .seconds(2))
        return dataSegments(pair, from: start).map(\.1.payloadLength)
    }

    @Test("Nagle on: small writes coalesce while data is unacknowledged; off: each write is a segment")
    func nagleSegmentation() throws {
        #expect(try segmentation(nagle: true) == [100, 900])
        #expect(try segmentation(nagle: false) == Array(repeating: 100, count: 10))
    }
}

