import Testing
@testable import Fabric
@testable import GuestStack

/// Out-of-order data held for reassembly (RFC 793 §3.9), whatever order it arrives in.
@Suite("TCP reassembly order")
struct ReassemblyOrderTests {
    @Test("RFC 793: a segment arriving before the held one it precedes is delivered in order once the gap fills")
    func earlierBlockArrivingSecond() {
        var queue = ReassemblyQueue()
        let base: UInt32 = 0xFFFF_FF00 // across the wrap, too
        queue.insert(sequence: base &+ 200, bytes: ArraySlice(Array(repeating: 2, count: 100)))
        queue.insert(sequence: base &+ 100, bytes: ArraySlice(Array(repeating: 1, count: 100)))
        #expect(queue.blocks.map(\.sequence) == [base &+ 100, base &+ 200])
        #expect(queue.sackBlocks(limit: 4).count == 1)
        let delivered = queue.takeContiguous(from: base &+ 100).flatMap { Array($0) }
        #expect(delivered == Array(repeating: 1, count: 100) + Array(repeating: 2, count: 100))
        #expect(queue.isEmpty)
    }
}
