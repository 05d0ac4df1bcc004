import Fabric

/// Benchmarks of the Fabric module: chardev framing, the run loop, pipes, and the baselines they
/// are compared with.
public enum FabricBenchmarks {
    public static let all: [BenchmarkCase] = [
        BenchmarkCase(
            name: "memcpy.64B",
            unit: "frames",
            defaultIterations: 5_000_000,
            body: copyFrames
        ),
        BenchmarkCase(
            name: "framing.encode-decode.64B",
            unit: "frames",
            defaultIterations: 5_000_000,
            goalPerSecond: 5_000_000,
            baseline: "memcpy.64B",
            body: encodeDecodeFrames
        ),
        BenchmarkCase(
            name: "closure-calls",
            unit: "calls",
            defaultIterations: 10_000_000,
            body: callClosures
        ),
        BenchmarkCase(
            name: "scheduler.events",
            unit: "events",
            defaultIterations: 10_000_000,
            goalPerSecond: 10_000_000,
            baseline: "closure-calls",
            body: runSchedulerEvents
        ),
        BenchmarkCase(
            name: "scheduler.events.handler",
            unit: "events",
            defaultIterations: 10_000_000,
            goalPerSecond: 10_000_000,
            baseline: "closure-calls",
            body: runSchedulerHandlerEvents
        ),
        BenchmarkCase(
            name: "pipe.records.64B",
            unit: "records",
            defaultIterations: 1_000_000,
            body: pumpPipeRecords
        ),
    ]

    static let framePayload: [UInt8] = (0..<64).map { UInt8($0) }
    static let framesPerBatch = 1_024

    /// Baseline: the same bytes moved as in the framing case (into a batch buffer, then out of
    /// it frame by frame into a fresh array), with no headers and no state machine.
    @Sendable static func copyFrames(_ iterations: Int) -> UInt64 {
        var batch: [UInt8] = []
        batch.reserveCapacity(framesPerBatch * framePayload.count)
        var checksum: UInt64 = 0
        var remaining = iterations
        while remaining > 0 {
            let count = min(remaining, framesPerBatch)
            batch.removeAll(keepingCapacity: true)
            for _ in 0..<count {
                batch.append(contentsOf: framePayload)
            }
            var offset = 0
            for _ in 0..<count {
                let copy = Array(batch[offset..<(offset + framePayload.count)])
                checksum &+= UInt64(copy[copy.count - 1])
                offset += framePayload.count
            }
            remaining -= count
        }
        return checksum
    }

    /// Encodes 64-byte frames into a batch, then decodes the batch in socket-sized chunks.
    @Sendable static func encodeDecodeFrames(_ iterations: Int) -> UInt64 {
        let encoder = RecordEncoder(vnetHeaderSupport: true)
        var decoder = RecordDecoder(vnetHeaderSupport: true)
        var batch: [UInt8] = []
        batch.reserveCapacity(framesPerBatch * (framePayload.count + encoder.headerSize))
        var checksum: UInt64 = 0
        var remaining = iterations
        while remaining > 0 {
            let count = min(remaining, framesPerBatch)
            batch.removeAll(keepingCapacity: true)
            for _ in 0..<count {
                try? encoder.appendRecord(payload: framePayload, vnetHeaderLength: 12, to: &batch)
            }
            batch.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let end = min(offset + ChardevConstants.socketReadBufferSize, bytes.count)
                    _ = decoder.feed(UnsafeRawBufferPointer(rebasing: bytes[offset..<end])) { frame in
                        checksum &+= UInt64(frame.vnetHeaderLength) &+ UInt64(frame.bytes.count)
                    }
                    offset = end
                }
            }
            remaining -= count
        }
        return checksum
    }

    /// Baseline for the run loop: calling stored closures, no queue.
    @Sendable static func callClosures(_ iterations: Int) -> UInt64 {
        final class Counter { var value: UInt64 = 0 }
        let counter = Counter()
        let actions: [() -> Void] = (0..<64).map { index in { counter.value &+= UInt64(index) } }
        for iteration in 0..<iterations {
            actions[iteration & 63]()
        }
        return counter.value
    }

    /// 64 periodic tickers with different periods keep the queue at 64 events; each event
    /// reschedules itself until `iterations` events have run.
    @Sendable static func runSchedulerEvents(_ iterations: Int) -> UInt64 {
        let scheduler = Scheduler(eventBudget: iterations + 64)
        let ticker = Ticker(scheduler: scheduler, remaining: iterations)
        for index in 0..<64 {
            ticker.arm(period: VirtualDuration(nanoseconds: 1_000 + Int64(index) * 37))
        }
        try? scheduler.runUntilIdle(limit: iterations + 64)
        return scheduler.traceHash &+ UInt64(scheduler.executedEvents)
    }

    final class Ticker {
        let scheduler: Scheduler
        var remaining: Int
        let label: EventLabel = "bench tick"

        init(scheduler: Scheduler, remaining: Int) {
            self.scheduler = scheduler
            self.remaining = remaining
        }

        func arm(period: VirtualDuration) {
            guard remaining > 0 else { return }
            remaining -= 1
            scheduler.schedule(after: period, label) { self.arm(period: period) }
        }
    }

    /// The same load as ``runSchedulerEvents`` through the allocation-free handler form.
    @Sendable static func runSchedulerHandlerEvents(_ iterations: Int) -> UInt64 {
        let scheduler = Scheduler(eventBudget: iterations + 64)
        let ticker = HandlerTicker(scheduler: scheduler, remaining: iterations)
        for index in 0..<64 {
            ticker.handleEvent(1_000 + index * 37)
        }
        try? scheduler.runUntilIdle(limit: iterations + 64)
        return scheduler.traceHash &+ UInt64(scheduler.executedEvents)
    }

    final class HandlerTicker: EventHandler {
        let scheduler: Scheduler
        var remaining: Int
        let label: EventLabel = "bench tick"

        init(scheduler: Scheduler, remaining: Int) {
            self.scheduler = scheduler
            self.remaining = remaining
        }

        /// `code` is the ticker's period in nanoseconds.
        func handleEvent(_ code: Int) {
            guard remaining > 0 else { return }
            remaining -= 1
            scheduler.schedule(after: .nanoseconds(Int64(code)), label, handler: self, code: code)
        }
    }

    /// Records through a ``ChardevPipe`` end to end: write, latency, chunked reads, decode.
    @Sendable static func pumpPipeRecords(_ iterations: Int) -> UInt64 {
        let scheduler = Scheduler(eventBudget: Int.max)
        let pipe = ChardevPipe(
            ChardevPipeConfiguration(writerID: "bench-w", readerID: "bench-r", splitsChunks: false),
            scheduler: scheduler
        )
        var received: UInt64 = 0
        pipe.onFrame = { frame in received &+= UInt64(frame.bytes.count) }
        let encoder = RecordEncoder(vnetHeaderSupport: false)
        guard let record = try? encoder.filterRecord(payload: framePayload, vnetHeaderLength: 0) else { return 0 }
        var written = 0
        while written < iterations {
            let batch = min(iterations - written, 256)
            for _ in 0..<batch {
                _ = pipe.write(record)
            }
            written += batch
            try? scheduler.runUntilIdle()
        }
        return received
    }
}
