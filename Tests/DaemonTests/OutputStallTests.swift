import Testing
import Fabric
import Primary

/// The engine side of a batching host (C-23..C-25): `outputStalled` puts handed-back writes
/// where QEMU's send list would hold them.
@Suite("engine: output handed back by a batching host (C-24, C-25)")
struct OutputStallTests {
    static func marker(_ index: Int) -> Frame {
        Frame([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x88, 0xb6, 0, 0, 0, UInt8(index)])
    }

    static func writtenIndices(_ actions: [CompareAction]) -> [Int] {
        actions.writes.compactMap(\.primaryIndex)
    }

    private func compare(_ profile: CompareProfile) -> COLOCompare {
        COLOCompare(configuration: COLOCompare.Configuration(profile: profile), nowMs: 0)
    }

    @Test("C-24: writes emitted at once and not sent go back in call order; the drain writes them newest first")
    func newWritesNewestFirst() {
        var engine = compare(.upstream)
        let writes = (0..<5).flatMap { engine.receivePrimary(Self.marker($0), nowMs: 0).writes }
        #expect(writes.map(\.primaryIndex) == [0, 1, 2, 3, 4])
        // The socket stopped in #1; #2..#4 never left.
        #expect(engine.outputStalled(on: .outdev, current: writes[1], unsent: Array(writes[2...]), fromQueue: 0).isEmpty)
        let later = engine.receivePrimary(Self.marker(5), nowMs: 0)
        #expect(later.writes.isEmpty)
        #expect(engine.pendingOutputCount == 5)
        // The host finished #1 itself: the engine does not write it again.
        #expect(Self.writtenIndices(engine.setPeerState(.writable, for: .outdev)) == [5, 4, 3, 2])
    }

    @Test("C-24: writes a drain emitted and the host could not send go back where the drain took them")
    func drainedWritesKeepTheirPlace() {
        var engine = compare(.upstream)
        let first = engine.receivePrimary(Self.marker(0), nowMs: 0).writes
        _ = engine.outputStalled(on: .outdev, current: first[0], unsent: [], fromQueue: 0)
        for index in 1...6 { _ = engine.receivePrimary(Self.marker(index), nowMs: 0) }
        let drained = engine.setPeerState(.writable, for: .outdev).writes
        #expect(drained.map(\.primaryIndex) == [6, 5, 4, 3, 2, 1])
        let fresh = engine.receivePrimary(Self.marker(7), nowMs: 0).writes
        // The socket stopped in #5: #4..#1 were drained, #7 came later.
        _ = engine.outputStalled(on: .outdev, current: drained[1], unsent: Array(drained[2...]) + fresh, fromQueue: 4)
        #expect(Self.writtenIndices(engine.setPeerState(.writable, for: .outdev)) == [7, 4, 3, 2, 1])
    }

    @Test("C-24 before 7.0 (qemu-6.2): handed-back writes are written oldest first")
    func fifoLayout() {
        var engine = compare(.qemu62)
        let writes = (0..<4).flatMap { engine.receivePrimary(Self.marker($0), nowMs: 0).writes }
        _ = engine.outputStalled(on: .outdev, current: writes[0], unsent: Array(writes[1...]), fromQueue: 0)
        _ = engine.receivePrimary(Self.marker(4), nowMs: 0)
        #expect(Self.writtenIndices(engine.setPeerState(.writable, for: .outdev)) == [1, 2, 3, 4])
    }

    @Test("C-25: a peer that fails after a stall loses the held record and everything queued, each a write_failed drop")
    func failureAfterStall() {
        var engine = compare(.upstream)
        let writes = (0..<3).flatMap { engine.receivePrimary(Self.marker($0), nowMs: 0).writes }
        _ = engine.outputStalled(on: .outdev, current: writes[1], unsent: [writes[2]], fromQueue: 0)
        let failed = engine.setPeerState(.failing, for: .outdev)
        let dropped = failed.events.compactMap { event -> Int? in
            if case .drop(let drop) = event, case .writeFailed = drop.reason { return drop.index }
            return nil
        }
        #expect(dropped.sorted() == [1, 2])
        #expect(failed.writes.isEmpty)
        #expect(engine.pendingOutputCount == 0)
    }
}
