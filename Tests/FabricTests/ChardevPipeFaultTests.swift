import Testing
@testable import Fabric

/// Faults a scenario injects into one record of a pipe (`chardev_fault`).
@Suite("Chardev pipe faults")
struct ChardevPipeFaultTests {
    private func harness() -> PipeHarness {
        PipeHarness(ChardevPipeConfiguration(writerID: "red1", readerID: "compare1", baseLatency: .microseconds(50)))
    }

    /// Every byte written is read, lost, dropped by a fault, or still in flight.
    private func accounted(_ harness: PipeHarness) -> Bool {
        let c = harness.pipe.counters
        return c.bytesWritten == c.bytesDelivered + c.bytesLost + c.bytesDroppedByFault + UInt64(harness.pipe.inFlightBytes)
    }

    @Test("W-8/W-10: a corrupted length swallows later records until the buffer overflows, then reading stops")
    func corruptLength() throws {
        let harness = harness()
        _ = harness.pipe.write(harness.record([1, 2, 3]))
        harness.pipe.injectFault(.corruptLength)
        for index in 0..<40 {
            _ = harness.pipe.write(harness.record([UInt8](repeating: UInt8(index), count: 4_000)))
        }
        try harness.scheduler.runUntilIdle()
        #expect(harness.decoded == [Frame([1, 2, 3])], "only the record before the fault is decoded")
        #expect(harness.errors.count == 1)
        #expect(!harness.pipe.isReading)
        #expect(harness.pipe.inFlightBytes > 0, "what follows the overflow stays unread in the socket")
        #expect(harness.pipe.counters.faultsInjected == 1)
        #expect(accounted(harness))
    }

    @Test("A dropped record never reaches the reader and is counted as dropped by the fault")
    func drop() throws {
        let harness = harness()
        harness.pipe.injectFault(.drop)
        let dropped = harness.record([9, 9])
        #expect(harness.pipe.write(dropped) == .written)
        _ = harness.pipe.write(harness.record([1]))
        try harness.scheduler.runUntilIdle()
        #expect(harness.decoded == [Frame([1])])
        #expect(harness.pipe.counters.bytesDroppedByFault == UInt64(dropped.count))
        #expect(accounted(harness))
    }

    @Test("A duplicated record is delivered twice, in order, and only the next record is affected")
    func duplicate() throws {
        let harness = harness()
        harness.pipe.injectFault(.duplicate)
        _ = harness.pipe.write(harness.record([1]))
        _ = harness.pipe.write(harness.record([2]))
        try harness.scheduler.runUntilIdle()
        #expect(harness.decoded == [Frame([1]), Frame([1]), Frame([2])])
        #expect(harness.pipe.counters.recordsWritten == 3)
        #expect(accounted(harness))
    }
}
