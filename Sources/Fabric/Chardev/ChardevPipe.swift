import DequeModule

/// A simulated socket chardev link from a writer (e.g. filter-mirror's "mirror0") to a reader
/// (e.g. filter-redirector's "red0"), driven by a ``Scheduler``.
///
/// The writer hands in whole records (bytes already framed by a ``RecordEncoder``). Each write
/// becomes readable after the base latency plus a chosen jitter, never before an earlier write.
/// The reader then takes the readable bytes in chunks — at most ``ChardevPipeConfiguration/readChunkLimit``
/// each, cut at chosen points — so chunks may hold several records or part of one. Every chunk
/// goes through the reader's ``RecordDecoder``; decoded frames go to ``onFrame`` in order, and a
/// framing error to ``onFramingError`` (after which reading stops, as in QEMU, W-10/W-11, until
/// ``resumeReading()``).
///
/// Backpressure: bytes written and not yet read count against ``ChardevPipeConfiguration/capacity``;
/// a write that does not fit is refused with `.wouldBlock`, and ``onWritable`` is called (as an
/// event) once the pipe has drained to the low-water mark. Bytes keep counting while the reader is
/// paused, as unread data stays in a real socket.
///
/// The reader's decoder is not reset by a disconnect or reconnect (W-9) unless configured to be.
public final class ChardevPipe {
    public let configuration: ChardevPipeConfiguration
    public let scheduler: Scheduler
    public var onFrame: (Frame) -> Void
    public var onFramingError: (FramingError) -> Void
    /// Tells the reader's chardev that the link came up or went down. After a reset it hears the
    /// close at once; after the writer closed its end, only once it has read every byte written
    /// before (a socket reader meets end-of-file after the data).
    public var onConnectionEvent: ((ChardevEvent) -> Void)?
    /// Called (in its own event) when a writer that was told `.wouldBlock` may write again.
    public var onWritable: (() -> Void)?
    /// Sees every chunk handed to the reader, before it is decoded (tests, captures).
    public var onChunk: (([UInt8]) -> Void)?
    /// Sees every decoded record before the reader does (captures, traces); must not call back
    /// into the pipe.
    public var recordTap: ((Frame) -> Void)?

    // Dynamic exclusivity checks on the pipe's state below cost more than the bookkeeping they
    // guard (a pipe moves every record of a run, several accesses each). They are off because
    // the pipe is driven from the single scheduler thread and no callback runs while one of
    // these accesses is open: `read()` hands frames on only after the decoder has returned, and
    // the other callbacks are called with local values.
    @exclusivity(unchecked) public private(set) var isConnected: Bool
    @exclusivity(unchecked) public private(set) var isReading = true
    @exclusivity(unchecked) public private(set) var decoder: RecordDecoder
    /// Bytes written and neither read nor lost.
    @exclusivity(unchecked) public private(set) var inFlightBytes = 0

    private struct Segment {
        var bytes: [UInt8]
        var consumed = 0
        let arrival: VirtualTime
    }

    @exclusivity(unchecked) private var inTransit = Deque<Segment>()
    @exclusivity(unchecked) private var received = Deque<Segment>()
    @exclusivity(unchecked) private var receivedBytes = 0
    @exclusivity(unchecked) private var lastArrival = VirtualTime.zero
    @exclusivity(unchecked) private var readScheduled = false
    @exclusivity(unchecked) private var writerWaiting = false
    /// A writer blocked on a record of this many bytes: it is told as soon as the record fits.
    @exclusivity(unchecked) private var roomWanted: Int?
    @exclusivity(unchecked) private var chunk: [UInt8] = []
    @exclusivity(unchecked) private var decodedFrames: [Frame] = []
    @exclusivity(unchecked) private var pipeCounters = ChardevPipeCounters()
    @exclusivity(unchecked) private var pendingFaults: [ChardevRecordFault] = []
    /// The reader's record count, frozen when its framing could no longer be trusted.
    @exclusivity(unchecked) private var frozenReaderCount: ReaderRecordCount?
    /// The writer closed its end; the reader hears it once it has read what is left.
    @exclusivity(unchecked) private var closeAwaitsEndOfData = false

    private let events = PipeEvents()
    private let arriveLabel: EventLabel
    private let readLabel: EventLabel
    private let writableLabel: EventLabel
    private let jitterPoint: ChoicePoint
    private let splitPoint: ChoicePoint

    public init(
        _ configuration: ChardevPipeConfiguration,
        scheduler: Scheduler,
        connected: Bool = true,
        onFrame: @escaping (Frame) -> Void = { _ in },
        onFramingError: @escaping (FramingError) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.scheduler = scheduler
        self.isConnected = connected
        self.onFrame = onFrame
        self.onFramingError = onFramingError
        decoder = RecordDecoder(
            vnetHeaderSupport: configuration.readerVnetHeaderSupport,
            profile: configuration.framingProfile,
            input: configuration.readerID,
            mutant: configuration.mutant
        )
        let name = configuration.name
        arriveLabel = EventLabel("pipe \(name) arrive")
        readLabel = EventLabel("pipe \(name) read")
        writableLabel = EventLabel("pipe \(name) writable")
        jitterPoint = ChoicePoint(.jitter, "pipe \(name)")
        splitPoint = ChoicePoint(.chunkSplit, "pipe \(name)")
        if connected { pipeCounters.connects = 1 }
        events.pipe = self
    }

    deinit {
        events.pipe = nil
    }

    public var counters: ChardevPipeCounters {
        var result = pipeCounters
        result.decoder = decoder.counters
        return result
    }

    /// Records read whole against frames decoded; see ``ReaderRecordCount``.
    public var readerRecordCount: ReaderRecordCount {
        frozenReaderCount ?? currentReaderCount(until: nil)
    }

    private func currentReaderCount(until cause: ReaderFramingLoss?) -> ReaderRecordCount {
        ReaderRecordCount(recordsRead: pipeCounters.recordsDelivered, framesDecoded: decoder.counters.framesDelivered,
                          heldZeroLength: decoder.holdsDeferredZeroLengthRecord ? 1 : 0, checkedUntil: cause)
    }

    /// Freezes the reader's count (between reads, where it balances if the framing was intact).
    private func loseFraming(_ cause: ReaderFramingLoss) {
        guard frozenReaderCount == nil else { return }
        frozenReaderCount = currentReaderCount(until: cause)
    }

    /// Whether `record` carries the header the reader will parse: `4 + L` bytes without a V
    /// field, `8 + L` with one.
    private static func framed(_ record: [UInt8], asReaderWithVnetField vnet: Bool) -> Bool {
        guard record.count >= 4 else { return false }
        let length = Int(record[0]) << 24 | Int(record[1]) << 16 | Int(record[2]) << 8 | Int(record[3])
        return record.count == length + (vnet ? 8 : 4)
    }

    /// Writes one record, whole or not at all (QEMU's writers write all of it). An empty write
    /// is a no-op, as on a socket.
    public func write(_ record: [UInt8]) -> PipeWriteResult {
        guard isConnected else {
            pipeCounters.writesRefusedDisconnected += 1
            return .disconnected
        }
        guard !record.isEmpty else { return .written }
        if !pendingFaults.isEmpty {
            return writeFaulty(record, pendingFaults.removeFirst())
        }
        if inFlightBytes > 0 && inFlightBytes + record.count > configuration.capacity {
            pipeCounters.writesWouldBlock += 1
            writerWaiting = true
            return .wouldBlock
        }
        enqueue(record)
        return .written
    }

    /// A writer that was told `.wouldBlock` blocks on a record of `bytes` bytes (QEMU's write
    /// loop): `onWritable` fires as soon as it fits, not only at the low-water mark.
    public func waitForRoom(_ bytes: Int) {
        writerWaiting = true
        roomWanted = bytes
        notifyWriterIfDrained()
    }

    /// Damages the next record written (one fault per record, in the order injected), as a
    /// buggy or hostile writer would; see ``ChardevRecordFault``.
    public func injectFault(_ fault: ChardevRecordFault) {
        pendingFaults.append(fault)
    }

    /// Faults in the pipe's own accounting: a dropped record counts as written and as dropped;
    /// a duplicate counts as a second record written. Capacity is not checked for the copy.
    private func writeFaulty(_ record: [UInt8], _ fault: ChardevRecordFault) -> PipeWriteResult {
        pipeCounters.faultsInjected += 1
        switch fault {
        case .corruptLength:
            // L becomes 0xFFFFFFFF: the reader collects every later byte as this record's data
            // until the capacity check fails (W-5.3, W-8) and reports a framing error.
            loseFraming(.corruptLength)
            var damaged = record
            for index in damaged.indices.prefix(4) { damaged[index] = 0xFF }
            enqueue(damaged)
        case .drop:
            pipeCounters.bytesWritten += UInt64(record.count)
            pipeCounters.recordsWritten += 1
            pipeCounters.bytesDroppedByFault += UInt64(record.count)
        case .duplicate:
            enqueue(record)
            enqueue(record)
        }
        return .written
    }

    private func enqueue(_ record: [UInt8]) {
        if frozenReaderCount == nil && !Self.framed(record, asReaderWithVnetField: configuration.readerVnetHeaderSupport) {
            loseFraming(.vnetFieldDisagreement)
        }
        let jitter = scheduler.chooser.chooseDuration(jitterPoint, upTo: configuration.maxJitter)
        let arrival = max(scheduler.now + configuration.baseLatency + jitter, lastArrival)
        lastArrival = arrival
        inTransit.append(Segment(bytes: record, arrival: arrival))
        inFlightBytes += record.count
        pipeCounters.bytesWritten += UInt64(record.count)
        pipeCounters.recordsWritten += 1
        scheduler.schedule(at: arrival, arriveLabel, handler: events, code: PipeEvents.arrive)
    }

    /// Brings the link up. The reader keeps any half-read record (W-9) unless configured not to.
    public func connect() {
        guard !isConnected else { return }
        announceCloseIfAwaited(force: true)
        isConnected = true
        pipeCounters.connects += 1
        if configuration.resetsReaderOnReconnect {
            decoder.reset()
        }
        onConnectionEvent?(.opened)
    }

    /// Takes the link down; see ``ChardevDisconnect`` for what happens to bytes in flight.
    public func disconnect(_ kind: ChardevDisconnect = .writerClosed) {
        guard isConnected else { return }
        isConnected = false
        pipeCounters.disconnects += 1
        guard kind == .reset else {
            closeAwaitsEndOfData = true
            announceCloseIfAwaited()
            return
        }
        defer { onConnectionEvent?(.closed) }
        if let head = received.first, head.consumed > 0 {
            loseFraming(.resetMidRecord)
        }
        for segment in received {
            loseRemainder(of: segment)
        }
        for segment in inTransit {
            loseRemainder(of: segment)
        }
        received.removeAll()
        inTransit.removeAll()
        receivedBytes = 0
        inFlightBytes = 0
        lastArrival = scheduler.now
        notifyWriterIfDrained()
    }

    /// Stops handing chunks to the reader; bytes accumulate and keep counting against capacity.
    public func pauseReading() {
        isReading = false
    }

    /// Resumes reading, e.g. a redirector re-attaching its input.
    public func resumeReading() {
        guard !isReading else { return }
        isReading = true
        scheduleReadIfNeeded()
    }

    /// After a writer's close, the reader meets end-of-file once nothing written before it is
    /// left to read (or at once when the link is brought up again).
    private func announceCloseIfAwaited(force: Bool = false) {
        guard closeAwaitsEndOfData, force || (receivedBytes == 0 && inTransit.isEmpty) else { return }
        closeAwaitsEndOfData = false
        onConnectionEvent?(.closed)
    }

    private func loseRemainder(of segment: Segment) {
        pipeCounters.bytesLost += UInt64(segment.bytes.count - segment.consumed)
        pipeCounters.recordsLost += 1
    }

    private func arrive() {
        let now = scheduler.now
        while let head = inTransit.first, head.arrival <= now {
            receivedBytes += head.bytes.count - head.consumed
            received.append(head)
            inTransit.removeFirst()
        }
        scheduleReadIfNeeded()
    }

    private func scheduleReadIfNeeded() {
        guard isReading, !readScheduled, receivedBytes > 0 else { return }
        readScheduled = true
        scheduler.schedule(at: scheduler.now, readLabel, handler: events, code: PipeEvents.read)
    }

    private func read() {
        readScheduled = false
        guard isReading, receivedBytes > 0 else { return }
        let available = min(receivedBytes, configuration.readChunkLimit)
        var take = available
        if configuration.splitsChunks && available > 1 {
            take -= Int(scheduler.chooser.choose(splitPoint, in: 0...Int64(available - 1)))
        }
        let countBeforeChunk = frozenReaderCount == nil ? currentReaderCount(until: .framingError) : nil
        gatherChunk(take)
        receivedBytes -= take
        inFlightBytes -= take
        pipeCounters.bytesDelivered += UInt64(take)
        pipeCounters.chunksDelivered += 1

        if let onChunk {
            let delivered = chunk
            onChunk(delivered)
        }

        // Frames are handed on after the decoder returns, so a consumer may call back into the
        // pipe; QEMU likewise finishes parsing a chunk before reacting to what it found.
        // The list's storage is kept between reads (taken out while frames are handed on, so a
        // consumer's call back into the pipe never sees it) instead of allocated per chunk.
        var frames = decodedFrames
        decodedFrames = []
        let error = decoder.feed(chunk) { frames.append($0) }
        for frame in frames {
            recordTap?(frame)
            onFrame(frame)
        }
        frames.removeAll(keepingCapacity: true)
        decodedFrames = frames
        if let error {
            if frozenReaderCount == nil {
                frozenReaderCount = countBeforeChunk
            }
            if configuration.stopsReadingOnFramingError {
                isReading = false
            }
            onFramingError(error)
        }
        notifyWriterIfDrained()
        announceCloseIfAwaited()
        scheduleReadIfNeeded()
    }

    /// Moves the first `count` received bytes into `chunk`, one bulk copy per segment.
    private func gatherChunk(_ count: Int) {
        chunk.removeAll(keepingCapacity: true)
        var remaining = count
        while remaining > 0, var segment = received.first {
            let piece = min(remaining, segment.bytes.count - segment.consumed)
            chunk.append(contentsOf: segment.bytes[segment.consumed..<(segment.consumed + piece)])
            segment.consumed += piece
            remaining -= piece
            if segment.consumed == segment.bytes.count {
                received.removeFirst()
                pipeCounters.recordsDelivered += 1
            } else {
                received[received.startIndex] = segment
            }
        }
    }

    private func notifyWriterIfDrained() {
        guard writerWaiting else { return }
        let recordFits = roomWanted.map { inFlightBytes == 0 || inFlightBytes + $0 <= configuration.capacity } ?? false
        guard recordFits || inFlightBytes <= configuration.writableLowWater || !isConnected else { return }
        writerWaiting = false
        roomWanted = nil
        scheduler.schedule(at: scheduler.now, writableLabel, handler: events, code: PipeEvents.writable)
    }

    /// Receives the pipe's events without a closure allocation per chunk. Does not keep the pipe
    /// alive: events still queued for a pipe that is gone do nothing.
    private final class PipeEvents: EventHandler {
        static let arrive = 0
        static let read = 1
        static let writable = 2

        /// Not `weak`: a weak reference would give the pipe a side table and make every
        /// retain and release of it take the runtime's slow path. The pipe clears this in its
        /// `deinit`, so an event still queued for a pipe that is gone finds nil.
        unowned(unsafe) var pipe: ChardevPipe?

        func handleEvent(_ code: Int) {
            guard let pipe else { return }
            switch code {
            case PipeEvents.arrive: pipe.arrive()
            case PipeEvents.read: pipe.read()
            default: pipe.onWritable?()
            }
        }
    }
}
