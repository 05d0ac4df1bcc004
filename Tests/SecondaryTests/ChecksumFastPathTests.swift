import Testing
@testable import Fabric
@testable import Secondary

/// RW-13's one-pass computation against the byte-by-byte reference, and why the rewriter does
/// not update checksums incrementally.
@Suite("RW-13 fast path and incremental updates")
struct ChecksumFastPathTests {
    /// A TCP frame of random shape (V, tags, IP options, payload), then random damage where the
    /// checksum routine looks: truncation, total length, IHL, fragment bits, any byte.
    static func randomFrame(_ random: inout SplitMix64) -> (bytes: [UInt8], vnet: Int) {
        func pick(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
        var builder = IPv4FrameBuilder(source: IPv4Address(UInt32(truncatingIfNeeded: random.next())),
                                       destination: IPv4Address(UInt32(truncatingIfNeeded: random.next())))
        builder.vnetHeader = [UInt8](repeating: 0, count: [0, 0, 10, 12, 20][pick(5)])
        let tagChoices: [[(tpid: UInt16, tci: UInt16)]] = [[], [], [(EtherType.qinq, 1)], [(EtherType.qinq, 1), (EtherType.vlan, 2)]]
        builder.vlanTags = tagChoices[pick(4)]
        builder.ipOptions = [UInt8](repeating: 1, count: 4 * [0, 0, 0, 1, 2, 10][pick(6)])
        let payload = (0..<[0, 1, 2, 3, 64, 200, 1_460][pick(7)]).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let frame = builder.tcp(sourcePort: UInt16(truncatingIfNeeded: random.next()), destinationPort: 80,
                                seq: UInt32(truncatingIfNeeded: random.next()), ack: UInt32(truncatingIfNeeded: random.next()),
                                flags: [.ack, .psh], payload: payload)
        var bytes = frame.bytes
        let ip = builder.vnetHeader.count + 14 + 4 * builder.vlanTags.count
        switch pick(8) {
        case 0: bytes.removeLast(min(bytes.count, pick(80)))                                    // truncated
        case 1: bytes.setBE16(UInt16(truncatingIfNeeded: random.next() % 2_000), at: ip + 2)     // total length
        case 2: bytes[ip] = 0x40 | UInt8(pick(16))                                               // IHL
        case 3: bytes[ip + 6] |= [0x20, 0x01, 0x00][pick(3)]                                     // MF, offset
        case 4: bytes[pick(bytes.count)] = UInt8(truncatingIfNeeded: random.next())              // any byte
        case 5: bytes += [UInt8](repeating: 0xee, count: pick(30))                               // padding
        default: break
        }
        return (bytes, builder.vnetHeader.count)
    }

    @Test("Random frames and offsets: the same bytes and outcome as the reference, for every profile")
    func sameAsReference() {
        var random = SplitMix64(seed: 0x1624)
        var written = 0
        for _ in 0..<20_000 {
            let (bytes, vnet) = Self.randomFrame(&random)
            for profile in RewriterProfile.all {
                var fast = bytes
                var reference = bytes
                let outcome = RewriterChecksum.recompute(&fast, vnetHeaderLength: vnet, quirks: profile.quirks)
                #expect(outcome == ReferenceChecksum.recompute(&reference, vnetHeaderLength: vnet, quirks: profile.quirks))
                #expect(fast == reference)
                if case .written = outcome { written += 1 }
            }
        }
        #expect(written > 10_000, "most frames reach the sum")
    }

    /// RFC 1624's update gives QEMU's bytes only when the incoming checksum is the one QEMU's
    /// full sum would give; a frame arriving with any other value (a wrong checksum, or with IP
    /// options the misplaced field, which holds no checksum at all) comes out differently. Telling
    /// the cases apart means summing the segment, which is the work an update would save, so the
    /// rewriter always sums.
    @Test("RFC 1624: identical to the full sum exactly when the incoming checksum is QEMU's")
    func incrementalNeedsAValidChecksum() {
        var random = SplitMix64(seed: 0x1071)
        var agreed = 0
        var differed = 0
        for _ in 0..<5_000 {
            let flow = IPv4FrameBuilder(source: IPv4Address(UInt32(truncatingIfNeeded: random.next())),
                                        destination: IPv4Address(UInt32(truncatingIfNeeded: random.next())))
            let payload = (0..<Int(random.next() % 100)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            var bytes = flow.tcp(sourcePort: 1, destinationPort: 2, seq: 7, ack: UInt32(truncatingIfNeeded: random.next()),
                                 flags: .ack, payload: payload).bytes
            let damaged = random.next() % 4 == 0
            if damaged { bytes[50] ^= UInt8(truncatingIfNeeded: 1 + random.next() % 255) }
            let incoming = bytes.be16(at: 50)
            let oldAck = bytes.be32(at: 42)
            let newAck = oldAck &+ UInt32(truncatingIfNeeded: random.next())
            bytes.setBE32(newAck, at: 42)
            _ = RewriterChecksum.recompute(&bytes, vnetHeaderLength: 0, quirks: RewriterProfile.upstream.quirks)
            let same = ReferenceChecksum.incremental(incoming, old: oldAck, new: newAck) == bytes.be16(at: 50)
            if damaged {
                #expect(!same)
                differed += 1
            } else {
                #expect(same)
                agreed += 1
            }
        }
        #expect(agreed > 0 && differed > 0)
    }
}
