import Testing
@testable import Fabric

@Suite("Checksums against known vectors")
struct ChecksumTests {
    private let builder = IPv4FrameBuilder(source: IPv4Address(10, 0, 0, 1), destination: IPv4Address(10, 0, 0, 2))

    @Test("RFC 1071 worked example")
    func rfc1071() {
        let bytes: [UInt8] = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]
        #expect(InternetChecksum.sum(bytes, from: 0, count: 8) == 0xddf2)
        #expect(InternetChecksum.checksum(bytes) == 0x220d)
    }

    /// RFC 1071's arithmetic word by word, as the reference for the eight-bytes-at-a-time sum.
    private func referenceSum(_ bytes: [UInt8], from start: Int, count: Int) -> UInt16 {
        var sum: UInt32 = 0
        for offset in stride(from: start, to: start + count, by: 2) {
            let high = offset < bytes.count ? UInt32(bytes[offset]) : 0
            let low = offset + 1 < start + count && offset + 1 < bytes.count ? UInt32(bytes[offset + 1]) : 0
            sum += high << 8 | low
        }
        while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
        return UInt16(sum)
    }

    @Test("The sum equals RFC 1071's word-by-word sum for any start, length and parity, bytes past the end reading as zero")
    func sumMatchesReference() {
        var random = Xoshiro256StarStar(seed: 13)
        func draw(upTo bound: Int) -> Int { Int(random.next(upTo: UInt64(bound))) }
        for _ in 0..<2_000 {
            let count = draw(upTo: 300)
            let bytes = (0..<count).map { _ in UInt8(draw(upTo: 255)) }
            let start = draw(upTo: count)
            let length = draw(upTo: count - start + 5)
            #expect(InternetChecksum.sum(bytes, from: start, count: length) == referenceSum(bytes, from: start, count: length),
                    "\(count) bytes, \(length) from \(start)")
        }
        // All-ones words fold to 0xffff, never to 0; only nothing (or zeros) sums to 0.
        #expect(InternetChecksum.sum([0xff, 0xff, 0xff, 0xff], from: 0, count: 4) == 0xffff)
        #expect(InternetChecksum.sum([0, 0, 0], from: 0, count: 3) == 0)
        #expect(InternetChecksum.sum([1, 2], from: 2, count: 4) == 0)
    }

    @Test("IPv4 header checksum of a known header")
    func ipv4Header() {
        let header: [UInt8] = [0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
                               0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7]
        #expect(InternetChecksum.checksum(header) == 0xb861)
    }

    // Vectors computed independently (Python, RFC 1071 arithmetic) for these exact packets.
    @Test("UDP, TCP, ICMP and IP checksums of built frames match independent vectors")
    func builtFrames() {
        let udp = builder.udp(sourcePort: 1234, destinationPort: 53, payload: Array("hello".utf8))
        #expect(udp.bytes.be16(at: 14 + 20 + 6) == 0xa2f8)
        #expect(udp.bytes.be16(at: 14 + 10) == 0x26ca)
        let tcp = builder.tcp(sourcePort: 40000, destinationPort: 80, seq: 1000, ack: 2000,
                              flags: [.psh, .ack], payload: Array("GET /".utf8))
        #expect(tcp.bytes.be16(at: 14 + 20 + 16) == 0x2917)
        let icmp = builder.icmp(type: ICMPHeader.echoRequest, identifier: 7, sequence: 1, payload: Array("ping".utf8))
        #expect(icmp.bytes.be16(at: 14 + 20 + 2) == 0x1927)
        for frame in [udp, tcp, icmp] { #expect(TransportChecksum.isValid(frame.bytes, ipOffset: 14)) }
    }

    @Test("a corrupted byte fails verification")
    func corruption() {
        var tcp = builder.tcp(sourcePort: 1, destinationPort: 2, seq: 3, flags: .ack, payload: [1, 2, 3])
        tcp.bytes[tcp.bytes.count - 1] ^= 0xff
        #expect(!TransportChecksum.isValid(tcp.bytes, ipOffset: 14))
    }

    @Test("checksums with IP options, odd payload and Ethernet padding")
    func optionsAndPadding() {
        var b = builder
        b.ipOptions = [0x94, 0x04, 0x00, 0x00]
        b.trailer = [0, 0, 0]
        let tcp = b.tcp(sourcePort: 9, destinationPort: 10, seq: 1, flags: .ack, payload: [1, 2, 3, 4, 5])
        #expect(TransportChecksum.isValid(tcp.bytes, ipOffset: 14))
        #expect(IPv4Header(tcp.bytes, at: 14)?.headerLength == 24)
    }
}
