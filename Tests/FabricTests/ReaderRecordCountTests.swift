import Testing
@testable import Fabric

/// "Nothing lost silently" at a chardev reader: records read whole against frames decoded.
@Suite("Chardev reader record count")
struct ReaderRecordCountTests {
    private func harness(split decisions: [UInt64], vnet: Bool = false, mutant: EngineMutant? = nil) -> PipeHarness {
        PipeHarness(ChardevPipeConfiguration(writerID: "redire1", readerID: "compare0-0", readerVnetHeaderSupport: vnet,
                                             splitsChunks: true, mutant: mutant),
                    chooser: ReplayingChooser(decisions: decisions))
    }

    @Test("W-6: records cut inside their length fields are each decoded once, and the count balances")
    func splitRecordsBalance() throws {
        // Two 24-byte records; the first read takes 3 bytes (inside the first L), the next 26
        // (inside the second L), then the rest.
        let harness = harness(split: [45, 19])
        _ = harness.pipe.write(harness.record(Array(repeating: 1, count: 20)))
        _ = harness.pipe.write(harness.record(Array(repeating: 2, count: 20)))
        try harness.scheduler.runUntilIdle()
        #expect(harness.chunks.map(\.count) == [3, 26, 19])
        #expect(harness.decoded.count == 2)
        let count = harness.pipe.readerRecordCount
        #expect(count == ReaderRecordCount(recordsRead: 2, framesDecoded: 2, heldZeroLength: 0, checkedUntil: nil))
        #expect(count.balances)
    }

    @Test("W-5: a reader that misreads a split length swallows the records that follow, and the count shows it")
    func mutantSwallowsRecordsUncounted() throws {
        let harness = harness(split: [45, 19], mutant: .splitLengthField)
        _ = harness.pipe.write(harness.record(Array(repeating: 1, count: 20)))
        _ = harness.pipe.write(harness.record(Array(repeating: 2, count: 20)))
        try harness.scheduler.runUntilIdle()
        #expect(harness.decoded.isEmpty)
        #expect(harness.errors.isEmpty)
        let count = harness.pipe.readerRecordCount
        #expect(count.recordsRead == 2)
        #expect(count.framesDecoded == 0)
        #expect(!count.balances)
    }

    @Test("W-7: a zero-length record held back until more input counts as held, not lost")
    func heldZeroLengthRecordBalances() throws {
        let harness = harness(split: [])
        _ = harness.pipe.write([0, 0, 0, 0])
        try harness.scheduler.runUntilIdle()
        #expect(harness.decoded.isEmpty)
        let count = harness.pipe.readerRecordCount
        #expect(count.heldZeroLength == 1)
        #expect(count.balances)
    }

    @Test("W-12, W-9, W-8: the count stops where the framing can no longer be trusted, and says why")
    func countStopsWhenFramingIsLost() throws {
        let mismatch = harness(split: [], vnet: true)
        _ = mismatch.pipe.write(mismatch.record([1, 2, 3], vnet: true))
        try mismatch.scheduler.runUntilIdle()
        _ = mismatch.pipe.write(mismatch.record([4, 5, 6], vnet: false))
        try mismatch.scheduler.runUntilIdle()
        #expect(mismatch.pipe.readerRecordCount
                == ReaderRecordCount(recordsRead: 1, framesDecoded: 1, heldZeroLength: 0, checkedUntil: .vnetFieldDisagreement))

        let corrupted = harness(split: [])
        corrupted.pipe.injectFault(.corruptLength)
        _ = corrupted.pipe.write(corrupted.record([1, 2, 3]))
        try corrupted.scheduler.runUntilIdle()
        #expect(corrupted.pipe.readerRecordCount.checkedUntil == .corruptLength)
        #expect(corrupted.pipe.readerRecordCount.balances)

        // The first read takes 10 of the record's 24 bytes; then a reset loses the other 14.
        let cut = harness(split: [14])
        _ = cut.pipe.write(cut.record(Array(repeating: 9, count: 20)))
        while cut.chunks.isEmpty, try cut.scheduler.step() {}
        #expect(cut.chunks.map(\.count) == [10])
        cut.pipe.pauseReading()
        cut.pipe.disconnect(.reset)
        #expect(cut.pipe.readerRecordCount.checkedUntil == .resetMidRecord)
        #expect(cut.pipe.readerRecordCount.balances)
    }
}
