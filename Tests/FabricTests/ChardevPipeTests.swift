import Testing
@testable import Fabric

/// A pipe with a scheduler and everything it delivers, for the tests below.
final class PipeHarness {
    let scheduler: Scheduler
    let pipe: ChardevPipe
    var frames: [(time: VirtualTime, frame: Frame)] = []
    var chunks: [[UInt8]] = []
    var errors: [FramingError] = []
    var writableAt: [VirtualTime] = []

    init(_ configuration: ChardevPipeConfiguration, chooser: any Chooser = CanonicalChooser()) {
        scheduler = Scheduler(chooser: chooser)
        pipe = ChardevPipe(configuration, scheduler: scheduler)
        pipe.onFrame = { [unowned self] in frames.append((scheduler.now, $0)) }
        pipe.onChunk = { [unowned self] in chunks.append($0) }
        pipe.onFramingError = { [unowned self] in errors.append($0) }
        pipe.onWritable = { [unowned self] in writableAt.append(scheduler.now) }
    }

    var decoded: [Frame] { frames.map(\.frame) }

    func record(_ payload: [UInt8], vnet: Bool = false, v: UInt32 = 0) -> [UInt8] {
        (try? RecordEncoder(vnetHeaderSupport: vnet).record(payload: payload, vnetHeaderLength: v)) ?? []
    }

    /// bytesWritten == bytesDelivered + bytesLost + in flight: nothing vanishes uncounted.
    var balances: Bool {
        let c = pipe.counters
        return c.bytesWritten == c.bytesDelivered + c.bytesLost + UInt64(pipe.inFlightBytes)
    }
}

@Suite("Chardev pipes")
struct ChardevPipeTests {
    @Test("Latency: a record becomes readable after the base latency, not before")
    func baseLatency() throws {
        let harness = PipeHarness(ChardevPipeConfiguration(writerID: "mirror0", readerID: "red0", baseLatency: .microseconds(50)))
        #expect(harness.pipe.write(harness.record([1, 2, 3])) == .written)
        try harness.scheduler.run(until: .microseconds(49))
        #expect(harness.frames.isEmpty)
        try harness.scheduler.runUntilIdle()
        #expect(harness.frames.map(\.time) == [.microseconds(50)])
        #expect(harness.decoded == [Frame([1, 2, 3])])
        #expect(harness.balances)
    }

    @Test("Jitter comes from the chooser and never lets a later write overtake an earlier one")
    func jitterKeepsOrder() throws {
        let configuration = ChardevPipeConfiguration(
            writerID: "w", readerID: "r", baseLatency: .microseconds(50), maxJitter: .microseconds(100)
        )
        let harness = PipeHarness(configuration, chooser: ReplayingChooser(decisions: [30_000, 5_000]))
        _ = harness.pipe.write(harness.record([1]))
        _ = harness.pipe.write(harness.record([2]))
        try harness.scheduler.runUntilIdle()
        #expect(harness.decoded == [Frame([1]), Frame([2])])
        #expect(harness.frames.map(\.time) == [.microseconds(80), .microseconds(80)])
        #expect(harness.chunks.count == 1, "both records were readable together, so one read takes both")
    }

    @Test("W-6: reads are at most the read limit, so records split across chunks")
    func readLimitSplitsRecords() throws {
        let harness = PipeHarness(ChardevPipeConfiguration(writerID: "w", readerID: "r", readChunkLimit: 7, splitsChunks: false))
        let payload = (0..<30).map { UInt8($0) }
        _ = harness.pipe.write(harness.record(payload))
        try harness.scheduler.runUntilIdle()
        #expect(harness.chunks.map(\.count) == [7, 7, 7, 7, 6])
        #expect(harness.decoded == [Frame(payload)])
        #expect(harness.pipe.counters.chunksDelivered == 5)
    }

    @Test("W-6: chosen split points can cut inside the length field; the frame still decodes")
    func splitInsideLengthField() throws {
        let harness = PipeHarness(
            ChardevPipeConfiguration(writerID: "w", readerID: "r"),
            chooser: ReplayingChooser(decisions: [32, 29])
        )
        let payload = (0..<30).map { UInt8($0) }
        _ = harness.pipe.write(harness.record(payload))
        try harness.scheduler.runUntilIdle()
        #expect(harness.chunks.map(\.count) == [2, 3, 29])
        #expect(harness.decoded == [Frame(payload)])
    }

    @Test("W-6: several records readable at once arrive in one chunk")
    func recordsShareAChunk() throws {
        let harness = PipeHarness(ChardevPipeConfiguration(writerID: "w", readerID: "r", readerVnetHeaderSupport: true))
        for value: UInt8 in 1...3 {
            _ = harness.pipe.write(harness.record([value, value], vnet: true, v: 12))
        }
        try harness.scheduler.runUntilIdle()
        #expect(harness.chunks.count == 1)
        #expect(harness.decoded == [Frame([1, 1], vnetHeaderLength: 12), Frame([2, 2], vnetHeaderLength: 12), Frame([3, 3], vnetHeaderLength: 12)])
        let counters = harness.pipe.counters
        #expect(counters.recordsWritten == 3 && counters.recordsDelivered == 3 && counters.decoder.framesDelivered == 3)
    }

    @Test("Backpressure: a full pipe refuses with wouldBlock and tells the writer when it drains")
    func backpressure() throws {
        let harness = PipeHarness(ChardevPipeConfiguration(writerID: "w", readerID: "r", capacity: 100))
        let record = harness.record([UInt8](repeating: 9, count: 56))
        #expect(harness.pipe.write(record) == .written)
        #expect(harness.pipe.write(record) == .wouldBlock)
        #expect(harness.pipe.inFlightBytes == 60)
        harness.pipe.onWritable = { [unowned harness] in
            harness.writableAt.append(harness.scheduler.now)
            #expect(harness.pipe.write(record) == .written)
        }
        try harness.scheduler.runUntilIdle()
        #expect(harness.writableAt == [.microseconds(20)])
        #expect(harness.decoded.count == 2)
        #expect(harness.pipe.counters.writesWouldBlock == 1)
        #expect(harness.balances)
    }

    @Test("Backpressure: one record larger than the capacity still goes through an empty pipe")
    func oversizeRecordIntoEmptyPipe() throws {
        let harness = PipeHarness(ChardevPipeConfiguration(writerID: "w", readerID: "r", capacity: 10))
        #expect(harness.pipe.write(harness.record([UInt8](repeating: 1, count: 50))) == .written)
        #expect(harness.pipe.write(harness.record([1])) == .wouldBlock)
        try harness.scheduler.runUntilIdle()
        #expect(harness.decoded.count == 1)
    }

    @Test("Paused reading keeps bytes in the pipe, counting against capacity, until resumed")
    func pausedReading() throws {
        let harness = PipeHarness(ChardevPipeConfiguration(writerID: "w", readerID: "r", capacity: 100))
        harness.pipe.pauseReading()
        let record = harness.record([UInt8](repeating: 3, count: 56))
        _ = harness.pipe.write(record)
        try harness.scheduler.runUntilIdle()
        #expect(harness.decoded.isEmpty)
        #expect(harness.pipe.write(record) == .wouldBlock)
        harness.pipe.resumeReading()
        try harness.scheduler.runUntilIdle()
        #expect(harness.decoded.count == 1)
        #expect(harness.writableAt.count == 1)
    }

    @Test("A write while disconnected fails and is counted")
    func writeWhileDisconnected() {
        let harness = PipeHarness(ChardevPipeConfiguration(writerID: "w", readerID: "r"))
        harness.pipe.disconnect()
        #expect(harness.pipe.write(harness.record([1])) == .disconnected)
        #expect(harness.pipe.counters.writesRefusedDisconnected == 1)
        #expect(harness.pipe.counters.bytesWritten == 0)
        harness.pipe.connect()
        #expect(harness.pipe.write(harness.record([1])) == .written)
        #expect(harness.pipe.counters.connects == 2 && harness.pipe.counters.disconnects == 1)
    }

    @Test("Writer close: bytes already written are still delivered, as on a stream socket")
    func writerCloseDrains() throws {
        let harness = PipeHarness(ChardevPipeConfiguration(writerID: "w", readerID: "r"))
        _ = harness.pipe.write(harness.record([4, 5]))
        harness.pipe.disconnect(.writerClosed)
        try harness.scheduler.runUntilIdle()
        #expect(harness.decoded == [Frame([4, 5])])
        #expect(harness.pipe.counters.bytesLost == 0)
    }

    @Test("R-7: the reader hears a writer's close only after the bytes written before it (end-of-file after the data); a reset at once")
    func closeEventOrder() throws {
        for kind in [ChardevDisconnect.writerClosed, .reset] {
            let harness = PipeHarness(ChardevPipeConfiguration(writerID: "w", readerID: "r"))
            var closedAfterFrames: [Int] = []
            harness.pipe.onConnectionEvent = { [unowned harness] event in
                if event == .closed { closedAfterFrames.append(harness.frames.count) }
            }
            _ = harness.pipe.write(harness.record([4, 5]))
            _ = harness.pipe.write(harness.record([6]))
            harness.pipe.disconnect(kind)
            try harness.scheduler.runUntilIdle()
            #expect(closedAfterFrames == (kind == .writerClosed ? [2] : [0]), "\(kind)")
        }
    }

    @Test("Reset: bytes in flight are lost and counted")
    func resetLosesInFlight() throws {
        let harness = PipeHarness(ChardevPipeConfiguration(writerID: "w", readerID: "r"))
        _ = harness.pipe.write(harness.record([1, 2]))
        _ = harness.pipe.write(harness.record([3]))
        harness.pipe.disconnect(.reset)
        try harness.scheduler.runUntilIdle()
        #expect(harness.decoded.isEmpty)
        let counters = harness.pipe.counters
        #expect(counters.bytesLost == 11)
        #expect(counters.recordsLost == 2)
        #expect(counters.recordsDelivered == 0)
        #expect(harness.pipe.inFlightBytes == 0)
        #expect(harness.balances)
    }

    @Test("W-9: a record cut by a reset is continued by the first bytes after reconnection")
    func readerNotResetAcrossReconnect() throws {
        let harness = PipeHarness(ChardevPipeConfiguration(writerID: "w", readerID: "r", readChunkLimit: 10, splitsChunks: false))
        _ = harness.pipe.write(harness.record([UInt8](repeating: 0xEE, count: 40)))
        for _ in 0..<3 { try harness.scheduler.step() }   // arrival, then two reads of 10 bytes
        #expect(harness.pipe.counters.bytesDelivered == 20)
        harness.pipe.disconnect(.reset)
        #expect(harness.pipe.counters.bytesLost == 24)
        harness.pipe.connect()
        #expect(harness.pipe.decoder.collectedCount == 16)

        let fresh = harness.record([1, 2, 3, 4])
        _ = harness.pipe.write(fresh)
        try harness.scheduler.runUntilIdle()
        #expect(harness.decoded.isEmpty, "the new record was swallowed as the old record's payload")
        #expect(harness.pipe.decoder.collectedCount == 24)
        _ = harness.pipe.write(harness.record([UInt8](repeating: 7, count: 12)))
        try harness.scheduler.runUntilIdle()
        let expected = [UInt8](repeating: 0xEE, count: 16) + fresh + [0, 0, 0, 12] + [UInt8](repeating: 7, count: 12)
        #expect(harness.decoded == [Frame(expected)])
        #expect(harness.balances)
    }

    @Test("W-9 corrected: a reader configured to reset on reconnect decodes the new record")
    func readerResetOnReconnect() throws {
        let configuration = ChardevPipeConfiguration(
            writerID: "w", readerID: "r", readChunkLimit: 10, splitsChunks: false, resetsReaderOnReconnect: true
        )
        let harness = PipeHarness(configuration)
        _ = harness.pipe.write(harness.record([UInt8](repeating: 0xEE, count: 40)))
        for _ in 0..<3 { try harness.scheduler.step() }
        harness.pipe.disconnect(.reset)
        harness.pipe.connect()
        _ = harness.pipe.write(harness.record([1, 2, 3, 4]))
        try harness.scheduler.runUntilIdle()
        #expect(harness.decoded == [Frame([1, 2, 3, 4])])
    }

    @Test("W-10/W-11: after a framing error the reader stops; resuming (R-8) reads on from a clean state")
    func framingErrorStopsReading() throws {
        let harness = PipeHarness(ChardevPipeConfiguration(writerID: "mirror0", readerID: "red0"))
        _ = harness.pipe.write(harness.record([UInt8](repeating: 0x55, count: 69_633)))
        try harness.scheduler.runUntilIdle()
        #expect(harness.errors.count == 1)
        #expect(harness.errors.first?.input == "red0")
        #expect(!harness.pipe.isReading)

        try harness.scheduler.run(until: .milliseconds(1))
        _ = harness.pipe.write(harness.record([8, 8]))
        try harness.scheduler.runUntilIdle()
        #expect(harness.decoded.isEmpty)
        #expect(harness.pipe.inFlightBytes == 6)

        harness.pipe.resumeReading()
        try harness.scheduler.runUntilIdle()
        #expect(harness.decoded == [Frame([8, 8])])
        let counters = harness.pipe.counters
        #expect(counters.decoder.framingErrors == 1)
        #expect(counters.decoder.bytesDiscarded == 69_628 + 5, "collected payload plus the rest of the failing chunk")
        #expect(harness.balances)
    }

    @Test("Counters balance under a random workload with chosen latency, splits, resets and reconnects")
    func countersUnderRandomLoad() throws {
        let configuration = ChardevPipeConfiguration(
            writerID: "w", readerID: "r", maxJitter: .microseconds(30), capacity: 600
        )
        let harness = PipeHarness(configuration, chooser: SeededChooser(seed: 2024))
        var generator = Xoshiro256StarStar(seed: 2024)
        var results: [PipeWriteResult] = []
        for step in 0..<400 {
            try harness.scheduler.run(until: .microseconds(Int64(step) * 5))
            switch generator.next(upTo: 40) {
            case 0: harness.pipe.disconnect(.reset)
            case 1: harness.pipe.connect()
            default:
                let size = Int(generator.next(upTo: 300)) + 1
                results.append(harness.pipe.write(harness.record([UInt8](repeating: UInt8(step & 0xFF), count: size))))
            }
            #expect(harness.balances)
        }
        harness.pipe.connect()
        try harness.scheduler.runUntilIdle()
        #expect(harness.balances)
        #expect(harness.pipe.inFlightBytes == 0)
        #expect(results.contains(.wouldBlock))
        #expect(results.contains(.disconnected))
        let counters = harness.pipe.counters
        #expect(counters.recordsDelivered + counters.recordsLost == counters.recordsWritten)
        #expect(counters.bytesDelivered == counters.decoder.bytesFed)
    }
}
