/// How a simulated chardev link behaves. Defaults model a local socket chardev: small latency,
/// no jitter, reads of at most QEMU's 4 KiB read buffer, split at chosen points.
public struct ChardevPipeConfiguration: Sendable, Hashable {
    /// The writing end's chardev id, e.g. "mirror0".
    public var writerID: String
    /// The reading end's chardev id, e.g. "red0".
    public var readerID: String
    /// Whether the *reader* expects a V field (W-1). The writer's setting lives in its
    /// ``RecordEncoder``; the two disagreeing is the W-12 mismatch.
    public var readerVnetHeaderSupport: Bool
    public var framingProfile: FramingProfile
    /// Delay from a write to its bytes becoming readable.
    public var baseLatency: VirtualDuration
    /// Extra delay drawn per write in `0...maxJitter` through the chooser (``ChoiceKind/jitter``).
    /// It never reorders bytes: a write never becomes readable before an earlier one.
    public var maxJitter: VirtualDuration
    /// Most bytes handed to the reader per read (QEMU: `CHR_READ_BUF_LEN`, below the consumers'
    /// own limit of 69 632, W-6).
    public var readChunkLimit: Int
    /// Whether each read asks the chooser how many of the available bytes to hold back
    /// (``ChoiceKind/chunkSplit``), so records split anywhere, inside header fields included.
    public var splitsChunks: Bool
    /// Most bytes written and not yet read (the socket buffers). A write that would go past it is
    /// refused with ``PipeWriteResult/wouldBlock`` unless nothing is in flight.
    public var capacity: Int
    /// A blocked writer is told it may write again once in-flight bytes drop to this level.
    public var writableLowWater: Int
    /// QEMU keeps a half-read record across a reconnect (W-9); `true` models a reader that
    /// starts afresh instead.
    public var resetsReaderOnReconnect: Bool
    /// Both QEMU consumers stop reading an input after a framing error (W-10, W-11).
    public var stopsReadingOnFramingError: Bool
    /// A deliberate reader bug for the fuzzer (``EngineMutant/splitLengthField``); nil otherwise.
    public var mutant: EngineMutant?

    public init(
        writerID: String,
        readerID: String,
        readerVnetHeaderSupport: Bool = false,
        framingProfile: FramingProfile = .qemu,
        baseLatency: VirtualDuration = .microseconds(20),
        maxJitter: VirtualDuration = .zero,
        readChunkLimit: Int = ChardevConstants.socketReadBufferSize,
        splitsChunks: Bool = true,
        capacity: Int = 212_992,
        writableLowWater: Int? = nil,
        resetsReaderOnReconnect: Bool = false,
        stopsReadingOnFramingError: Bool = true,
        mutant: EngineMutant? = nil
    ) {
        self.writerID = writerID
        self.readerID = readerID
        self.readerVnetHeaderSupport = readerVnetHeaderSupport
        self.framingProfile = framingProfile
        self.baseLatency = baseLatency
        self.maxJitter = maxJitter
        self.readChunkLimit = max(1, min(readChunkLimit, ChardevConstants.netBufferSize))
        self.splitsChunks = splitsChunks
        self.capacity = max(1, capacity)
        self.writableLowWater = min(writableLowWater ?? capacity / 2, max(1, capacity) - 1)
        self.resetsReaderOnReconnect = resetsReaderOnReconnect
        self.stopsReadingOnFramingError = stopsReadingOnFramingError
        self.mutant = mutant
    }

    /// "writer->reader", used in event labels and choice points.
    public var name: String { "\(writerID)->\(readerID)" }
}

/// The outcome of ``ChardevPipe/write(_:)``.
public enum PipeWriteResult: Sendable, Hashable {
    case written
    /// The pipe is full; nothing was written. ``ChardevPipe/onWritable`` fires when it drains.
    case wouldBlock
    /// The link is down; nothing was written.
    case disconnected
}

/// How a link goes down.
public enum ChardevDisconnect: Sendable, Hashable {
    /// The writer closed its end (`close` after writing): like a stream socket, bytes already
    /// written are still delivered, then nothing more arrives.
    case writerClosed
    /// The connection was reset or the reader went away: every byte written and not yet read is
    /// lost (counted in ``ChardevPipeCounters/bytesLost``), possibly cutting a record in two.
    case reset
}

/// Running totals of one pipe. Invariant:
/// `bytesWritten == bytesDelivered + bytesLost + inFlight`.
public struct ChardevPipeCounters: Sendable, Hashable {
    public var bytesWritten: UInt64 = 0
    public var recordsWritten: UInt64 = 0
    public var writesRefusedDisconnected: UInt64 = 0
    public var writesWouldBlock: UInt64 = 0
    public var bytesDelivered: UInt64 = 0
    /// Records whose last byte reached the reader.
    public var recordsDelivered: UInt64 = 0
    public var chunksDelivered: UInt64 = 0
    public var bytesLost: UInt64 = 0
    /// Records with at least one byte lost by a reset.
    public var recordsLost: UInt64 = 0
    public var connects: UInt64 = 0
    public var disconnects: UInt64 = 0
    /// Records damaged, dropped or duplicated by ``ChardevPipe/injectFault(_:)``.
    public var faultsInjected: UInt64 = 0
    /// Bytes of records a fault dropped (counted in ``bytesWritten`` too).
    public var bytesDroppedByFault: UInt64 = 0
    /// The reader's own totals: frames decoded, framing errors, bytes discarded by them.
    public var decoder = RecordDecoder.Counters()
}

/// A fault injected into one record of a chardev pipe (scenario hooks): what a buggy writer or a
/// damaged stream would do to the reader.
public enum ChardevRecordFault: String, Sendable, Hashable, CaseIterable {
    /// The length field L becomes 0xFFFFFFFF, so the reader overflows its buffer (W-5.3).
    case corruptLength = "corrupt_length"
    /// The record never reaches the socket.
    case drop
    /// The record is written twice.
    case duplicate
}
