import Testing
@testable import Fabric
@testable import GuestStack

@Suite("Stack input validation: malformed frames are dropped and counted, never crash")
struct StackInputValidationTests {
    static let builder: IPv4FrameBuilder = {
        var builder = IPv4FrameBuilder(source: StackPair.addressA, destination: StackPair.addressB)
        builder.sourceMAC = StackPair.macA
        builder.destinationMAC = StackPair.macB
        return builder
    }()

    private func freshStack() -> NetworkStack {
        var stack = NetworkStack(configuration: StackPair.configurations().1)
        _ = try? stack.listen(port: 80)
        return stack
    }

    private func drops(_ frame: Frame, expect reason: StackDropReason, sourceLocation: SourceLocation = #_sourceLocation) {
        var stack = freshStack()
        stack.receive(frame, at: .milliseconds(1), choices: CanonicalChooser())
        #expect(stack.counters[drop: reason] == 1, "expected a \(reason) drop", sourceLocation: sourceLocation)
        #expect(stack.counters.totalDrops == 1, sourceLocation: sourceLocation)
        #expect(stack.takeOutput().isEmpty, "a dropped frame must not be answered", sourceLocation: sourceLocation)
        #expect(stack.connectionHandles.isEmpty, sourceLocation: sourceLocation)
    }

    private func recomputeTCPChecksum(_ frame: inout Frame) {
        let ip = 14
        let ihl = Int(frame.bytes[ip] & 0x0f) * 4
        frame.bytes.setBE16(0, at: ip + ihl + 16)
        if let sum = TransportChecksum.expected(frame.bytes, ipOffset: ip) { frame.bytes.setBE16(sum, at: ip + ihl + 16) }
    }

    private func syn(options: [TCPOption] = [.maximumSegmentSize(1460)]) -> Frame {
        Self.builder.tcp(sourcePort: 40_000, destinationPort: 80, seq: 1_000, flags: [.syn], options: options)
    }

    @Test("a well-formed SYN is accepted (control for the cases below)")
    func control() {
        var stack = freshStack()
        stack.receive(syn(), at: .milliseconds(1), choices: CanonicalChooser())
        #expect(stack.counters.totalDrops == 0)
        #expect(stack.takeOutput().count == 1)
    }

    @Test("bad TCP checksum") func badChecksum() {
        drops(Self.builder.tcp(sourcePort: 40_000, destinationPort: 80, seq: 1, flags: [.syn], checksumOverride: 0xbeef),
              expect: .badTCPChecksum)
    }

    @Test("bad TCP data offset: below five words, and beyond the segment") func badDataOffset() {
        for offsetWords: UInt8 in [0, 4, 6, 15] {
            var frame = syn(options: [])
            frame.bytes[14 + 20 + 12] = offsetWords << 4
            drops(frame, expect: .badTCPDataOffset)
        }
    }

    @Test("truncated TCP options: a length running past the header, a missing length byte, a length below two")
    func truncatedOptions() {
        for tail: [UInt8] in [[1, 1, 8, 10], [1, 1, 1, 2], [1, 1, 3, 1], [2, 4, 5, 0xb4, 1, 1, 1, 0x13]] {
            var frame = syn(options: Array(repeating: .noOperation, count: tail.count))
            let start = 14 + 20 + 20
            for (index, byte) in tail.enumerated() { frame.bytes[start + index] = byte }
            recomputeTCPChecksum(&frame)
            drops(frame, expect: .badTCPOptions)
        }
    }

    @Test("bad IPv4 header checksum") func badIPChecksum() {
        var frame = syn()
        frame.bytes[14 + 10] ^= 0xff
        drops(frame, expect: .badIPv4Checksum)
    }

    @Test("IPv4 total length beyond the frame, IHL below five, wrong version") func malformedIPv4() {
        var long = syn()
        long.bytes.removeLast(8)
        drops(long, expect: .malformedIPv4)
        var ihl = syn()
        ihl.bytes[14] = 0x44
        drops(ihl, expect: .malformedIPv4)
        var version = syn()
        version.bytes[14] = 0x65
        drops(version, expect: .malformedIPv4)
    }

    @Test("runt frames, unknown ethertypes, fragments, other destinations") func framing() {
        drops(Frame(Array(repeating: 0, count: 10)), expect: .runtFrame)
        drops(Self.builder.ipv6(payload: [1, 2, 3]), expect: .unknownEtherType)
        var fragmentBuilder = Self.builder
        fragmentBuilder.moreFragments = true
        drops(fragmentBuilder.tcp(sourcePort: 1, destinationPort: 80, seq: 1, flags: [.syn]), expect: .ipFragment)
        var elsewhere = Self.builder
        elsewhere.destination = IPv4Address(10, 0, 0, 77)
        drops(elsewhere.tcp(sourcePort: 1, destinationPort: 80, seq: 1, flags: [.syn]), expect: .notForUs)
        var otherMAC = Self.builder
        otherMAC.destinationMAC = MACAddress([2, 0, 0, 0, 0, 9])
        drops(otherMAC.tcp(sourcePort: 1, destinationPort: 80, seq: 1, flags: [.syn]), expect: .notForUs)
    }

    @Test("bad UDP length and checksum, bad ICMP checksum, truncated transport headers") func otherTransports() {
        var udp = Self.builder.udp(sourcePort: 5, destinationPort: 53, payload: [1, 2, 3, 4])
        udp.bytes.setBE16(200, at: 14 + 20 + 4)
        drops(udp, expect: .badUDPLength)
        drops(Self.builder.udp(sourcePort: 5, destinationPort: 53, payload: [1, 2], checksumOverride: 0x1111), expect: .badUDPChecksum)
        var icmp = Self.builder.icmp(type: ICMPHeader.echoRequest, identifier: 1, sequence: 1, payload: [9, 9])
        icmp.bytes[14 + 20 + 2] ^= 0x55
        drops(icmp, expect: .badICMPChecksum)
        drops(Self.builder.datagram(protocol: IPProtocolNumber.tcp, payload: [0, 80, 0, 80, 1]), expect: .truncatedTransport)
        drops(Self.builder.datagram(protocol: 99, payload: [1, 2, 3]), expect: .unsupportedProtocol)
    }

    @Test("malformed segments aimed at an established connection leave it intact and unanswered")
    func establishedConnectionSurvives() throws {
        var pair = StackPair()
        let (client, server) = try pair.connect()
        let connection = try #require(pair.b.status(of: server))
        var builder = Self.builder
        builder.identification = 9
        var bad = builder.tcp(sourcePort: connection.remotePort, destinationPort: 80, seq: 5, ack: 5, flags: [.ack, .rst],
                              checksumOverride: 0x0bad)
        pair.b.receive(bad, at: pair.now, choices: pair.chooser)
        bad.bytes[14 + 20 + 12] = 0x20
        pair.b.receive(bad, at: pair.now, choices: pair.chooser)
        #expect(pair.b.takeOutput().isEmpty)
        #expect(pair.b.status(of: server)?.state == .established)
        try pair.a.send([1, 2, 3], on: client, choices: pair.chooser)
        pair.run(until: pair.now + .seconds(1))
        #expect(pair.b.read(from: server, choices: pair.chooser) == [1, 2, 3])
    }

    @Test("fuzz: 20 000 randomly corrupted frames are all counted and none traps")
    func fuzz() throws {
        var pair = StackPair()
        let (client, _) = try pair.connect()
        pair.a.advance(to: pair.now, choices: pair.chooser)
        try pair.a.send(Array(repeating: 3, count: 5_000), on: client, choices: pair.chooser)
        let samples = pair.a.takeOutput() + [syn(), Self.builder.udp(sourcePort: 1, destinationPort: 53, payload: [1, 2, 3, 4, 5]),
                                             Self.builder.icmp(type: 8, identifier: 1, sequence: 2, payload: [1]), Self.builder.arp(operation: 1)]
        var generator = Xoshiro256StarStar(seed: 77)
        var stack = pair.b
        let before = stack.counters.framesReceived
        for round in 0..<20_000 {
            var bytes = samples[round % samples.count].bytes
            let edits = Int(generator.next(upTo: 4)) + 1
            for _ in 0..<edits {
                let position = Int(generator.next(upTo: UInt64(bytes.count - 1)))
                bytes[position] = UInt8(truncatingIfNeeded: generator.next())
            }
            if generator.next(upTo: 9) == 0 { bytes.removeLast(Int(generator.next(upTo: UInt64(bytes.count - 1)))) }
            stack.receive(Frame(bytes), at: pair.now, choices: pair.chooser)
            _ = stack.takeOutput()
        }
        #expect(stack.counters.framesReceived - before == 20_000)
        #expect(stack.counters.totalDrops > 15_000)
    }
}
