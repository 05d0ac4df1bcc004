import Testing
@testable import Fabric
@testable import GuestStack

/// The receiver's out-of-order queue (RFC 793 §3.9, SACK per RFC 2018). Issue #6: a segment
/// held *below* the first held block was sorted to the end, so the queue stopped draining at
/// the gap and the client stalled on retransmission timeouts.
@Suite("Stack reassembly queue")
struct StackReassemblyQueueTests {
    private static func bytes(_ count: Int, _ value: UInt8) -> ArraySlice<UInt8> {
        ArraySlice(repeating: value, count: count)
    }

    @Test("a segment held before the first held block drains in order once the gap fills")
    func earlierSegmentDrainsInOrder() {
        var queue = ReassemblyQueue()
        queue.insert(sequence: 3_000, bytes: Self.bytes(1_000, 3))
        queue.insert(sequence: 2_000, bytes: Self.bytes(1_000, 2))
        queue.insert(sequence: 1_000, bytes: Self.bytes(1_000, 1))
        #expect(queue.blocks.map(\.sequence) == [1_000, 2_000, 3_000])
        let drained = queue.takeContiguous(from: 1_000)
        #expect(drained.map(\.count) == [1_000, 1_000, 1_000])
        #expect(drained.map { $0.first } == [1, 2, 3])
        #expect(queue.blocks.isEmpty)
    }

    @Test("SACK blocks of an earlier arrival merge with the later run")
    func sackRunsMerge() {
        var queue = ReassemblyQueue()
        queue.insert(sequence: 8_000, bytes: Self.bytes(1_000, 0))
        queue.insert(sequence: 6_000, bytes: Self.bytes(2_000, 0))
        #expect(queue.sackBlocks(limit: 4) == [TCPOption.SACKBlock(left: 6_000, right: 9_000)])
    }

    @Test("order holds across the sequence-number wrap")
    func orderAcrossWrap() {
        var queue = ReassemblyQueue()
        queue.insert(sequence: 500, bytes: Self.bytes(100, 2))
        queue.insert(sequence: UInt32.max - 99, bytes: Self.bytes(100, 1))
        #expect(queue.blocks.map(\.sequence) == [UInt32.max - 99, 500])
        let drained = queue.takeContiguous(from: UInt32.max - 99)
        #expect(drained.map { $0.first } == [1])
        #expect(queue.blocks.map(\.sequence) == [500])
    }
}
