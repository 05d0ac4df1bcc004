import Testing
@testable import Fabric

/// Random and truncated bytes through every parser: nothing may trap.
@Suite("Packet parsers on hostile input")
struct PacketFuzzTests {
    /// SplitMix64, local so this test does not depend on the scheduler's generator.
    struct Mix { var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    private func exercise(_ bytes: [UInt8], vnet: UInt32) {
        let frame = Frame(bytes, vnetHeaderLength: vnet)
        if case .success(let layout) = COLOPacketParser.parse(frame) {
            _ = ConnectionKey(bytes: bytes, layout: layout)
            _ = ConnectionKey(bytes: bytes, layout: layout, reversed: true)
            _ = TCPHeader(bytes, at: layout.transportOffset)
            _ = UDPHeader(bytes, at: layout.transportOffset)
        }
        _ = PacketSummary.describe(frame)
        for offset in [0, 14, 18, 22, 34] {
            _ = IPv4Header(bytes, at: offset)
            _ = TCPHeader(bytes, at: offset)
            _ = TransportChecksum.isValid(bytes, ipOffset: offset)
            _ = ARPPacket(bytes, at: offset)
            _ = IPv6Header(bytes, at: offset)
        }
    }

    @Test("every truncation of valid frames parses without trapping")
    func truncations() {
        let b = IPv4FrameBuilder(source: IPv4Address(1, 1, 1, 1), destination: IPv4Address(2, 2, 2, 2))
        let frames = [
            b.tcp(sourcePort: 1, destinationPort: 2, seq: 3, flags: .syn,
                  options: [.maximumSegmentSize(1460), .sackPermitted, .timestamps(value: 1, echoReply: 0), .windowScale(7)]),
            b.udp(sourcePort: 1, destinationPort: 2, payload: [1, 2, 3]),
            b.icmp(type: 8, payload: [9, 9]), b.arp(operation: 1), b.ipv6(payload: [1]),
        ]
        for frame in frames {
            for length in 0...frame.count { exercise(Array(frame.bytes[0..<length]), vnet: 0) }
        }
    }

    @Test("random bytes with random V parse without trapping")
    func randomBytes() {
        var rng = Mix(state: 42)
        for _ in 0..<20_000 {
            let length = Int(rng.next() % 80)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if length > 14 && rng.next() % 2 == 0 { bytes[12] = 0x08; bytes[13] = 0x00 }
            if length > 15 && rng.next() % 2 == 0 { bytes[14] = 0x40 | (bytes[14] & 0x0f) }
            exercise(bytes, vnet: UInt32(rng.next() % 24))
        }
    }
}
