import Testing
@testable import Fabric

/// The parser's one-pass fast path must decide exactly as P-1 checked field by field: wherever
/// the fast path answers, the checked parse gives the same layout, and the public `parse` gives
/// the checked parse's answer everywhere.
@Suite("P-1 fast path agrees with the checked parse")
struct COLOParseFastPathTests {
    @Test("Random frames around the header boundaries: same result as the checked parse")
    func randomFrames() {
        var random = SplitMix64(seed: 0x5eed_c0de)
        let types: [UInt16] = [EtherType.ipv4, EtherType.vlan, EtherType.qinq, EtherType.arp, EtherType.ipv6, 0x0000]
        var fastAnswers = 0
        for _ in 0..<20_000 {
            let vnet = UInt32(random.next() % 23)
            let length = Int(random.next() % 96)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            // Put plausible types and IHLs where the parser looks, so every branch is taken.
            let v = Int(vnet)
            func put16(_ value: UInt16, _ offset: Int) {
                if offset + 1 < bytes.count { bytes[offset] = UInt8(value >> 8); bytes[offset + 1] = UInt8(value & 0xff) }
            }
            put16(types[Int(random.next() % UInt64(types.count))], v + 12)
            put16(types[Int(random.next() % UInt64(types.count))], v + 16)
            put16(types[Int(random.next() % UInt64(types.count))], v + 20)
            for network in [v + 14, v + 18, v + 22] where network < bytes.count && random.next() % 2 == 0 {
                bytes[network] = 0x40 | UInt8(random.next() % 16)
            }
            let checked = COLOPacketParser.parseChecked(bytes, vnetHeaderLength: vnet)
            #expect(COLOPacketParser.parse(bytes, vnetHeaderLength: vnet) == checked)
            if let fast = COLOPacketParser.parseWholeHeader(bytes, vnetHeaderLength: vnet) {
                fastAnswers += 1
                #expect(checked == .success(fast))
            }
        }
        #expect(fastAnswers > 1_000, "the fast path was exercised")
    }
}
