import Testing
@testable import Fabric
@testable import Secondary

/// The rewriter's open-addressing table against a `Dictionary` model of P-5: the same entries,
/// counts, creations and resets under random lookups, updates and removals.
@Suite("Rewriter connection table")
struct RewriterConnectionTableTests {
    /// Keys that share addresses and differ in a port or the protocol, so probe runs collide.
    static func key(_ n: Int) -> ConnectionKey {
        ConnectionKey(addressA: IPv4Address(10, 0, 0, UInt8(n % 7)), addressB: IPv4Address(10, 0, 1, UInt8(n % 3)),
                      portWord: UInt32(40_000 + n) << 16 | 80, ipProtocol: n % 11 == 0 ? IPProtocolNumber.udp : IPProtocolNumber.tcp)
    }

    @Test("Random operations leave the table equal to the model", arguments: [8, 100, 5_000])
    func sameAsModel(threshold: Int) {
        var random = SplitMix64(seed: UInt64(threshold))
        var table = RewriterConnectionTable(resetThreshold: threshold)
        var model: [ConnectionKey: RewriterConnection] = [:]
        var resets = 0
        let universe = 400
        for step in 0..<20_000 {
            let key = Self.key(Int(random.next() % UInt64(universe)))
            switch random.next() % 4 {
            case 0, 1:
                // locate, then store a value as the rules would.
                let before = model.count
                let location = table.locate(key)
                let absent = model[key] == nil
                if absent && before > threshold {
                    #expect(location.droppedByReset == before, "step \(step)")
                    model.removeAll()
                    resets += 1
                } else {
                    #expect(location.droppedByReset == nil, "step \(step)")
                }
                #expect(location.created == absent, "step \(step)")
                #expect(table.value(at: location.index) == model[key] ?? RewriterConnection(), "step \(step)")
                let value = RewriterConnection(tcpState: .established, offset: UInt32(truncatingIfNeeded: random.next()))
                table.setValue(value, at: location.index)
                model[key] = value
            case 2:
                // Removal through the rules' path.
                guard model[key] != nil else { continue }
                table.remove(at: table.locate(key).index)
                model[key] = nil
            default:
                // The subscript used by tests and scenario set-up.
                let value: RewriterConnection? = random.next() % 2 == 0 ? nil : RewriterConnection(tcpState: .synSent)
                table[key] = value
                model[key] = value
            }
            #expect(table.count == model.count, "step \(step)")
            #expect(table.resetCount == resets, "step \(step)")
        }
        for n in 0..<universe {
            #expect(table[Self.key(n)] == model[Self.key(n)])
        }
        let expected = model.sorted { $0.key < $1.key }
        #expect(table.sortedEntries.map(\.key) == expected.map(\.key))
        #expect(table.sortedEntries.map(\.value) == expected.map(\.value))
    }
}
