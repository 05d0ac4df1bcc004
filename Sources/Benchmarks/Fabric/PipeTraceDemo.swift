import Fabric

/// A small deterministic simulation for `lockstep trace` and the determinism tests: three
/// chardev pipes shaped like COLO's links (mirror → secondary redirector, redirector → compare,
/// compare → primary redirector), each fed by a writer that produces records of chosen sizes at
/// chosen intervals and retries after backpressure. Latency, jitter, chunk splits, simultaneous
/// event order and workload all come from one ``SeededChooser``, so the seed alone fixes the run.
public enum PipeTraceDemo {
    public struct PipeSummary: Sendable, Hashable {
        public var name: String
        public var counters: ChardevPipeCounters
        /// FNV-1a over every decoded frame (V, then bytes), in arrival order.
        public var frameHash: UInt64
        /// Frames whose content differed from what the writer sent (should stay 0).
        public var mismatchedFrames: Int
    }

    public struct Result: Sendable, Hashable {
        public var seed: UInt64
        public var events: Int
        public var finalTime: VirtualTime
        public var traceHash: UInt64
        public var decisions: [UInt64]
        public var pipes: [PipeSummary]
        public var trace: [TraceEntry]

        /// The report `lockstep trace` prints; identical across runs and processes for one seed.
        public func report(includingTrace: Bool) -> String {
            var lines = [
                "seed \(seed)",
                "events \(events)",
                "final-time \(finalTime)",
                "trace-hash \(hex(traceHash))",
                "decisions \(decisions.count) hash \(hex(decisionHash))",
            ]
            for pipe in pipes {
                let c = pipe.counters
                lines.append(
                    "pipe \(pipe.name): records written \(c.recordsWritten) delivered \(c.recordsDelivered) "
                        + "bytes written \(c.bytesWritten) delivered \(c.bytesDelivered) chunks \(c.chunksDelivered) "
                        + "would-block \(c.writesWouldBlock) frames \(c.decoder.framesDelivered) "
                        + "framing-errors \(c.decoder.framingErrors) mismatched \(pipe.mismatchedFrames) "
                        + "frame-hash \(hex(pipe.frameHash))"
                )
            }
            if includingTrace {
                lines.append("trace:")
                lines.append(contentsOf: trace.map(\.description))
            }
            return lines.joined(separator: "\n")
        }

        public var decisionHash: UInt64 {
            var hasher = FNV1a64()
            for decision in decisions { hasher.combine(decision) }
            return hasher.value
        }
    }

    /// Runs `events` events (or until idle, which the endless writers never are).
    public static func run(seed: UInt64, events: Int, keepTrace: Bool = true) throws(SchedulerError) -> Result {
        try run(seed: seed, chooser: SeededChooser(seed: seed), events: events, keepTrace: keepTrace)
    }

    /// Runs with decisions from `source` (e.g. a ``ReplayingChooser`` over a recorded list);
    /// `seed` is only reported.
    public static func run(
        seed: UInt64,
        chooser source: any Chooser,
        events: Int,
        keepTrace: Bool = true
    ) throws(SchedulerError) -> Result {
        let chooser = RecordingChooser(wrapping: source)
        let scheduler = Scheduler(chooser: chooser, simultaneousOrder: .chosen, eventBudget: events)
        let recorder = TraceRecorder()
        if keepTrace { scheduler.traceSink = recorder }

        let links = [
            Link(writer: "mirror0", reader: "red0", vnet: false, latencyMicros: 30, jitterMicros: 40, capacity: 212_992),
            Link(writer: "red1", reader: "compare-pri", vnet: true, latencyMicros: 10, jitterMicros: 10, capacity: 4_096),
            Link(writer: "compare-out", reader: "red2", vnet: true, latencyMicros: 5, jitterMicros: 100, capacity: 16_384),
        ]
        let sources = links.enumerated().map { index, link in
            RecordSource(index: index, link: link, scheduler: scheduler)
        }
        for source in sources { source.start() }

        while scheduler.executedEvents < events, try scheduler.step() {}

        return Result(
            seed: seed,
            events: scheduler.executedEvents,
            finalTime: scheduler.now,
            traceHash: scheduler.traceHash,
            decisions: chooser.decisions,
            pipes: sources.map(\.summary),
            trace: recorder.entries
        )
    }

    struct Link {
        var writer: String
        var reader: String
        var vnet: Bool
        var latencyMicros: Int64
        var jitterMicros: Int64
        var capacity: Int
    }

    /// Writes records of chosen sizes at chosen intervals into one pipe, and checks what the
    /// reader decodes against what was written.
    final class RecordSource {
        let scheduler: Scheduler
        let pipe: ChardevPipe
        let encoder: RecordEncoder
        let index: Int
        let writeLabel: EventLabel
        let sizePoint: ChoicePoint
        let gapPoint: ChoicePoint
        let burstPoint: ChoicePoint
        var sequence: UInt64 = 0
        var pendingRecord: [UInt8]?
        var expected: [Frame] = []
        var expectedHead = 0
        var frameHasher = FNV1a64()
        var mismatches = 0

        init(index: Int, link: Link, scheduler: Scheduler) {
            self.index = index
            self.scheduler = scheduler
            encoder = RecordEncoder(vnetHeaderSupport: link.vnet)
            let configuration = ChardevPipeConfiguration(
                writerID: link.writer,
                readerID: link.reader,
                readerVnetHeaderSupport: link.vnet,
                baseLatency: .microseconds(link.latencyMicros),
                maxJitter: .microseconds(link.jitterMicros),
                capacity: link.capacity
            )
            pipe = ChardevPipe(configuration, scheduler: scheduler)
            writeLabel = EventLabel("source \(link.writer) write")
            sizePoint = ChoicePoint(.workload, "source \(link.writer) size")
            gapPoint = ChoicePoint(.workload, "source \(link.writer) gap")
            burstPoint = ChoicePoint(.workload, "source \(link.writer) pause")
            pipe.onFrame = { [unowned self] frame in received(frame) }
            pipe.onWritable = { [unowned self] in writePending() }
        }

        func start() {
            scheduleNext()
        }

        var summary: PipeSummary {
            PipeSummary(
                name: pipe.configuration.name,
                counters: pipe.counters,
                frameHash: frameHasher.value,
                mismatchedFrames: mismatches
            )
        }

        /// Two writes in three follow at once, so bursts build up and hit the pipes' capacity.
        private func scheduleNext() {
            let pause = scheduler.chooser.chooseEvent(burstPoint, numerator: 1, denominator: 3)
            let gap = VirtualDuration(nanoseconds: pause ? scheduler.chooser.choose(gapPoint, in: 0...200_000) : 0)
            scheduler.schedule(after: gap, writeLabel) { [unowned self] in produce() }
        }

        private func produce() {
            let size = Int(scheduler.chooser.choose(sizePoint, in: 1...1_514))
            let frame = Frame(payload(size: size), vnetHeaderLength: encoder.vnetHeaderSupport ? 12 : 0)
            sequence += 1
            expected.append(frame)
            do {
                pendingRecord = try encoder.compareRecord(frame)
            } catch {
                scheduler.abort("source \(pipe.configuration.writerID): \(error)")
                return
            }
            writePending()
        }

        private func writePending() {
            guard let record = pendingRecord else { return }
            switch pipe.write(record) {
            case .written:
                pendingRecord = nil
                scheduleNext()
            case .wouldBlock:
                break
            case .disconnected:
                scheduler.abort("pipe \(pipe.configuration.name) unexpectedly disconnected")
            }
        }

        /// Deterministic bytes that differ per source and record, so misrouted or reordered
        /// frames show up as mismatches.
        private func payload(size: Int) -> [UInt8] {
            var state = SplitMix64(seed: UInt64(index) << 48 | sequence)
            var bytes: [UInt8] = []
            bytes.reserveCapacity(size)
            while bytes.count < size {
                var word = state.next()
                for _ in 0..<min(8, size - bytes.count) {
                    bytes.append(UInt8(truncatingIfNeeded: word))
                    word >>= 8
                }
            }
            return bytes
        }

        private func received(_ frame: Frame) {
            frameHasher.combine(UInt64(frame.vnetHeaderLength))
            for byte in frame.bytes { frameHasher.combine(byte: byte) }
            if expectedHead < expected.count, expected[expectedHead] == frame {
                expectedHead += 1
            } else {
                mismatches += 1
            }
        }
    }
}

private func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
}
