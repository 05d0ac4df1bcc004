import Testing
@testable import Fabric
@testable import GuestStack

@Suite("Stack protocol behaviour: handshake options, ISN, RST, TIME-WAIT, windows, ARP, IP ID")
struct StackProtocolTests {
    private func segments(_ pair: StackPair, towardB: Bool) -> [SegmentView] {
        pair.log.filter { $0.towardB == towardB }.compactMap { SegmentView($0.frame) }
    }

    @Test("three-way handshake with MSS, SACK-permitted and timestamps, laid out as Linux does")
    func handshakeOptions() throws {
        var pair = StackPair()
        _ = try pair.connect()
        let syn = try #require(segments(pair, towardB: true).first)
        #expect(syn.tcp.flags == [.syn])
        #expect(syn.tcp.options.first == .maximumSegmentSize(1460))
        #expect(syn.tcp.options.contains(.sackPermitted))
        #expect(syn.tcp.options.contains { if case .timestamps(_, 0) = $0 { true } else { false } })
        #expect(syn.tcp.headerLength == 20 + 4 + 12)
        let synAck = try #require(segments(pair, towardB: false).first)
        #expect(synAck.tcp.flags == [.syn, .ack])
        #expect(synAck.tcp.acknowledgementNumber == syn.tcp.sequenceNumber &+ 1)
        #expect(synAck.tcp.options.contains(.sackPermitted))
        let ack = try #require(segments(pair, towardB: true).dropFirst().first)
        #expect(ack.tcp.flags == [.ack] && ack.payloadLength == 0)
        #expect(ack.tcp.acknowledgementNumber == synAck.tcp.sequenceNumber &+ 1)
        #expect(ack.tcp.options.count == 3)  // NOP NOP TS
        #expect(pair.a.tcp.connections[0].sendMSS == 1448)
    }

    @Test("options are negotiated: no timestamps or SACK when the peer does not offer them; MSS is the smaller")
    func negotiation() throws {
        var pair = StackPair { _, b in
            b.tcp.timestamps = false
            b.tcp.sackPermitted = false
            b.tcp.maximumSegmentSize = 536
        }
        let (client, _) = try pair.connect()
        #expect(pair.a.tcp.connections[0].timestampsEnabled == false)
        #expect(pair.a.tcp.connections[0].sackEnabled == false)
        pair.a.advance(to: pair.now, choices: pair.chooser)
        try pair.a.send(Array(repeating: 1, count: 2_000), on: client, choices: pair.chooser)
        pair.run(until: pair.now + .seconds(1))
        let data = segments(pair, towardB: true).filter { $0.payloadLength > 0 }
        #expect(data.map(\.payloadLength) == [536, 536, 536, 392])
        #expect(data.allSatisfy { $0.tcp.options.isEmpty })
    }

    @Test("ISN comes from the chooser per stack, or from a fixed policy")
    func initialSequenceNumbers() throws {
        var canonical = StackPair(chooser: CanonicalChooser())
        _ = try canonical.connect()
        #expect(segments(canonical, towardB: true).first?.tcp.sequenceNumber == 0)
        var fixed = StackPair { a, b in
            a.tcp.initialSequenceNumber = .fixed(1_000)
            b.tcp.initialSequenceNumber = .fixed(5_000)
        }
        _ = try fixed.connect()
        #expect(segments(fixed, towardB: true).first?.tcp.sequenceNumber == 1_000)
        #expect(segments(fixed, towardB: false).first?.tcp.sequenceNumber == 5_000)
        let recorder = RecordingChooser(wrapping: SeededChooser(seed: 5), keepsLog: true)
        var seeded = StackPair(chooser: recorder)
        _ = try seeded.connect()
        let draws = recorder.log.filter { $0.point.kind == .initialSequenceNumber }
        #expect(draws.map(\.point.label) == ["a isn", "b isn"])
        #expect(segments(seeded, towardB: true).first?.tcp.sequenceNumber == UInt32(draws[0].offset))
        #expect(segments(seeded, towardB: false).first?.tcp.sequenceNumber == UInt32(draws[1].offset))
    }

    @Test("a SYN to a closed port is answered with RST+ACK and the connect fails as refused")
    func refused() throws {
        var pair = StackPair()
        let client = try pair.a.connect(to: StackPair.addressB, port: 9, choices: pair.chooser)
        pair.run(until: .seconds(1))
        let rst = try #require(segments(pair, towardB: false).first)
        #expect(rst.tcp.flags == [.rst, .ack])
        #expect(pair.a.status(of: client)?.error == .refused)
        #expect(pair.b.counters[drop: .tcpNoConnection] == 1)
    }

    @Test("a reset received on an established connection reports reset; abort sends RST")
    func resetAndAbort() throws {
        var pair = StackPair()
        let (client, server) = try pair.connect()
        pair.b.abort(server, choices: pair.chooser)
        pair.run(until: pair.now + .seconds(1))
        #expect(pair.a.status(of: client)?.error == .reset)
        #expect(pair.b.status(of: server) == nil)
        #expect(pair.b.counters.tcpResetsSent == 1 && pair.a.counters.tcpResetsReceived == 1)
    }

    @Test("FIN close both ways; the active closer holds TIME-WAIT for the configured time, then forgets")
    func closeAndTimeWait() throws {
        var pair = StackPair { a, _ in a.tcp.timeWait = .milliseconds(500) }
        let (client, server) = try pair.connect()
        pair.a.advance(to: pair.now, choices: pair.chooser)
        try pair.a.send([1, 2, 3], on: client, choices: pair.chooser)
        pair.a.close(client, choices: pair.chooser)
        pair.run(until: pair.now + .milliseconds(100))
        #expect(pair.b.read(from: server, choices: pair.chooser) == [1, 2, 3])
        #expect(pair.b.status(of: server)?.state == .closeWait)
        #expect(pair.b.status(of: server)?.endOfStream == true)
        #expect(pair.a.status(of: client)?.state == .finWait2)
        pair.b.advance(to: pair.now, choices: pair.chooser)
        try pair.b.send([4], on: server, choices: pair.chooser)
        pair.b.close(server, choices: pair.chooser)
        pair.run(until: pair.now + .milliseconds(100))
        #expect(pair.a.read(from: client, choices: pair.chooser) == [4])
        #expect(pair.a.status(of: client)?.state == .timeWait)
        #expect(pair.b.status(of: server) == nil)
        let closedAt = pair.log.last { $0.towardB }.map(\.at)
        pair.run(until: pair.now + .seconds(2))
        #expect(pair.a.status(of: client) == nil)
        #expect(pair.a.nextDeadline == nil && pair.b.nextDeadline == nil)
        #expect(closedAt != nil)
    }

    @Test("flow control: a reader that stops closes the window; persist probes; reading reopens it")
    func zeroWindowAndPersist() throws {
        var pair = StackPair { _, b in b.tcp.receiveBufferSize = 8_192 }
        let (client, server) = try pair.connect()
        pair.a.advance(to: pair.now, choices: pair.chooser)
        let total = 50_000
        let data = PayloadPattern.bytes(at: 0, count: total)
        var written = try pair.a.send(data, on: client, choices: pair.chooser)
        pair.run(until: pair.now + .seconds(5))
        #expect(pair.b.status(of: server)?.readable == 8_192)
        #expect(pair.a.counters.tcpWindowProbes > 0)
        // Lose the first window update: the persist timer must still get the transfer going.
        var droppedUpdate = false
        pair.keep = { _, towardB, _ in
            if !towardB && !droppedUpdate { droppedUpdate = true; return false }
            return true
        }
        var received: [UInt8] = []
        while received.count < total && pair.now < .seconds(600) {
            pair.b.advance(to: pair.now, choices: pair.chooser)
            received += pair.b.read(from: server, choices: pair.chooser)
            pair.a.advance(to: pair.now, choices: pair.chooser)
            if written < total {
                written += try pair.a.send(Array(data[written...]), on: client, choices: pair.chooser)
            }
            pair.run(until: pair.now + .milliseconds(50))
        }
        #expect(droppedUpdate)
        #expect(received == data)
    }

    @Test("ARP: one broadcast request, queued SYN sent on reply, cache reused; requests answered only for us")
    func arpResolution() throws {
        var pair = StackPair()
        _ = try pair.connect()
        _ = try pair.a.connect(to: StackPair.addressB, port: 80, choices: pair.chooser)
        pair.run(until: pair.now + .seconds(1))
        let arpFrames = pair.log.filter { $0.frame.bytes.be16(at: 12) == EtherType.arp }
        #expect(arpFrames.count == 2)
        #expect(arpFrames[0].towardB && arpFrames[0].frame.bytes.prefix(6).allSatisfy { $0 == 0xff })
        #expect(!arpFrames[1].towardB)
        #expect(pair.a.counters.arpRequestsSent == 1 && pair.b.counters.arpRepliesSent == 1)
        var stack = pair.b
        var builder = StackInputValidationTests.builder
        builder.destinationMAC = .broadcast
        builder.destination = IPv4Address(10, 0, 0, 99)
        stack.receive(builder.arp(operation: ARPPacket.request), at: pair.now, choices: pair.chooser)
        #expect(stack.takeOutput().isEmpty)
    }

    @Test("ARP: an address that never answers gets three requests a second apart, then its queue is dropped")
    func arpTimeout() throws {
        var pair = StackPair()
        _ = try pair.a.connect(to: IPv4Address(10, 0, 0, 99), port: 80, choices: pair.chooser)
        pair.run(until: .milliseconds(2_999))
        let requests = pair.log.filter { $0.frame.bytes.be16(at: 12) == EtherType.arp }.map(\.at.milliseconds)
        #expect(requests == [0, 1_000, 2_000])
        #expect(pair.a.counters[drop: .arpUnresolved] == 0)
        pair.run(until: .milliseconds(3_000))
        // At 3 s the entry gives up (the SYN and its first retransmission are dropped); the
        // second SYN retransmission, due at the same instant, starts a new resolution.
        #expect(pair.a.counters[drop: .arpUnresolved] == 2)
        #expect(pair.a.interface.arp.entries.map(\.pending.count) == [1])
        #expect(pair.log.last.map { $0.frame.bytes.be16(at: 12) } == EtherType.arp)
    }

    @Test("ARP: a stale entry keeps being used and is confirmed by a unicast request")
    func arpStaleProbe() throws {
        var pair = StackPair { a, _ in a.arp.reachableTime = .seconds(2) }
        let (client, _) = try pair.connect()
        pair.run(until: .seconds(3))
        pair.a.advance(to: pair.now, choices: pair.chooser)
        try pair.a.send([1], on: client, choices: pair.chooser)
        pair.run(until: .seconds(4))
        let arp = pair.log.filter { $0.frame.bytes.be16(at: 12) == EtherType.arp && $0.towardB }
        #expect(arp.count == 2)
        #expect(arp.last.map { Array($0.frame.bytes.prefix(6)) } == StackPair.macB.octets)
    }

    @Test("IP identification: sequential counts up, zero policy sends 0 with DF, random draws per datagram")
    func ipIdentification() throws {
        func identifications(_ policy: IPIdentificationPolicy) throws -> [UInt16] {
            var pair = StackPair { a, _ in a.ipIdentification = policy }
            _ = try pair.connect()
            return pair.log.filter { $0.towardB }.compactMap { entry in
                IPv4Header(entry.frame.bytes, at: 14).map { ip in
                    #expect(ip.dontFragment)
                    return ip.identification
                }
            }
        }
        #expect(try identifications(.sequential(start: 100)) == [100, 101])
        #expect(try identifications(.zeroWithDontFragment) == [0, 0])
        let random = try identifications(.random)
        #expect(random.count == 2 && random != [0, 1])
    }
}

@Suite("Stack framing options and direct-run report")
struct StackFramingAndReportTests {
    @Test("a virtio-net header length puts zero bytes in front of every frame and is skipped on input")
    func vnetHeader() throws {
        var pair = StackPair { a, b in
            a.vnetHeaderLength = 12
            b.vnetHeaderLength = 12
        }
        let (client, server) = try pair.connect()
        pair.a.advance(to: pair.now, choices: pair.chooser)
        try pair.a.send([5, 6, 7], on: client, choices: pair.chooser)
        pair.run(until: pair.now + .seconds(1))
        #expect(pair.b.read(from: server, choices: pair.chooser) == [5, 6, 7])
        #expect(pair.log.allSatisfy { $0.frame.vnetHeaderLength == 12 && $0.frame.bytes.prefix(12).allSatisfy { $0 == 0 } })
    }

    @Test("the direct-run JSON report is one object with the figures of the text report")
    func jsonReport() throws {
        let report = try DirectRun.execute(DirectRunOptions())
        let json = report.json
        #expect(json.hasPrefix("{") && json.hasSuffix("}"))
        #expect(json.contains("\"topology\":\"direct\""))
        #expect(json.contains("\"bytesTransferred\":\(report.clientBytesSent + report.clientBytesReceived)"))
        #expect(json.contains("\"retransmissions\":\(report.retransmissions)"))
        #expect(json.contains("\"completionTimeNanoseconds\":\(report.completionTimeNanoseconds)"))
        #expect(json.filter { $0 == "{" }.count == json.filter { $0 == "}" }.count)
        #expect(report.text.contains("completed at \(report.completionTime)"))
        #expect(try DirectRun.execute(DirectRunOptions()).json == json)
    }
}
