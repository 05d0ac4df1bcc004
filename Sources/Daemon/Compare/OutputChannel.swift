import Glibc
import Fabric
import Primary

/// The bytes of one compare output (outdev or notify_dev) between the engine and the socket.
///
/// The engine hands over records to write (`CompareWrite`s); they are encoded here (W-1, W-4)
/// and sent in batches, one `send` for many records. When the socket takes only part of a
/// batch, the record it stopped in becomes the one QEMU's drain would be retrying: its
/// remaining bytes stay here and go first once the socket is writable again; the records after
/// it are handed back to the engine, which queues them as QEMU's send list would (C-24).
///
/// Only the encoded bytes and a few words per record are kept, not the engine's frames: a
/// frame is freed as soon as it is encoded, and a record handed back is decoded from the bytes
/// (the encoding keeps the payload and V whole, so the engine gets back equal writes). Copying
/// the payload into one buffer costs less than gathering it with `writev`: on a unix socket the
/// kernel's per-segment cost exceeds the copy for every record size of the benchmark
/// (measured: 110-byte records 22–30 ns each copied and sent vs 65–74 ns gathered;
/// 1506-byte records about even).
struct OutputChannel {
    let channel: CompareChannel
    let chardev: Int
    private var bytes: [UInt8] = []
    private var sent = 0
    /// The records in `bytes`, in order.
    private var records: [Record] = []
    /// How many of `records`, from the first, the engine's drain took from its queue (they go
    /// back there, in order, if they cannot be written).
    private var drainedPrefix = 0
    /// `bytes` hold only the rest of a record the socket stopped taking (waiting for POLLOUT).
    private(set) var isStalled = false

    /// What a `CompareWrite` is besides its encoded bytes.
    private struct Record {
        /// End offset of the record in `bytes`.
        var end: Int
        var primaryIndex: Int?
        var vnetHeaderLength: UInt32
        var carriesVnetField: Bool
    }

    init(channel: CompareChannel, chardev: Int) {
        self.channel = channel
        self.chardev = chardev
    }

    var hasBytes: Bool { sent < bytes.count }
    var bufferedBytes: Int { bytes.count - sent }
    /// Records here not yet completely written.
    var heldRecords: Int { records.count }

    mutating func append(_ write: CompareWrite) {
        let encoder = RecordEncoder(vnetHeaderSupport: write.carriesVnetField)
        // A frame never exceeds 32 bits: it came through a 32-bit length field.
        try? encoder.appendRecord(payload: write.frame.bytes, vnetHeaderLength: write.frame.vnetHeaderLength, to: &bytes)
        records.append(Record(end: bytes.count, primaryIndex: write.primaryIndex,
                              vnetHeaderLength: write.frame.vnetHeaderLength, carriesVnetField: write.carriesVnetField))
    }

    /// Every write appended so far came from a drain of the engine's queue
    /// (`setPeerState(.writable)` after a stall).
    mutating func markAppendedAsDrained() {
        drainedPrefix = records.count
    }

    /// Records handed back to the engine: the unsent ones and how many of them came from its queue.
    struct Unsent {
        var current: CompareWrite
        var unsent: [CompareWrite]
        var fromQueue: Int
    }

    enum FlushOutcome {
        /// Everything was written; `completed` records went out in this flush.
        case drained(completed: Int, finishedStalledRecord: Bool)
        /// The socket stopped taking bytes in the handed-back record's `current`.
        case stalled(Unsent, completed: Int)
        /// Still waiting on a stalled record's remainder.
        case stillStalled
        /// The write failed. The records the engine believes written and must learn were not
        /// (nil when the only unfinished record is a stalled one, which the engine already holds).
        case failed(SystemCallError, Unsent?)
    }

    mutating func flush(to fd: Int32) -> FlushOutcome {
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress.map { $0 + sent }, raw.count - sent, Int32(MSG_NOSIGNAL))
            }
            if count > 0 {
                sent += count
                continue
            }
            let code = errno
            if count < 0 && code == EINTR { continue }
            if count < 0 && (code == EAGAIN || code == EWOULDBLOCK) { return stall() }
            return fail(SystemCallError("send", target: channel.rawValue, code: count == 0 ? EPIPE : code))
        }
        let completed = records.count
        let finished = isStalled
        clear()
        return .drained(completed: completed, finishedStalledRecord: finished)
    }

    /// Forgets everything (the engine has been told the records failed).
    mutating func clear() {
        bytes.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
        sent = 0
        drainedPrefix = 0
        isStalled = false
    }

    /// The records not completely written, for a connection that went away: the first one and
    /// the rest, as `failed` reports them; the buffer is emptied.
    mutating func abandon() -> Unsent? {
        defer { clear() }
        if isStalled { return nil }
        guard let first = records.firstIndex(where: { $0.end > sent }) else { return nil }
        return unsent(from: first)
    }

    private func unsent(from first: Int) -> Unsent {
        Unsent(current: write(first), unsent: ((first + 1)..<records.count).map(write), fromQueue: max(0, drainedPrefix - first - 1))
    }

    /// Record `index` as the engine handed it over, decoded from its bytes (never the stalled
    /// record's remainder: the engine already holds that one).
    private func write(_ index: Int) -> CompareWrite {
        let record = records[index]
        let start = (index == 0 ? 0 : records[index - 1].end) + RecordEncoder(vnetHeaderSupport: record.carriesVnetField).headerSize
        return CompareWrite(channel: channel, frame: Frame(Array(bytes[start..<record.end]), vnetHeaderLength: record.vnetHeaderLength),
                            carriesVnetField: record.carriesVnetField, primaryIndex: record.primaryIndex)
    }

    private mutating func stall() -> FlushOutcome {
        if isStalled { return .stillStalled }
        let first = records.firstIndex { $0.end > sent } ?? (records.count - 1)
        let handedBack = unsent(from: first)
        var stalled = records[first]
        // In place: the buffer keeps its capacity for the batches after the stall.
        bytes.removeSubrange(stalled.end...)
        bytes.removeSubrange(..<sent)
        stalled.end = bytes.count
        records = [stalled]
        sent = 0
        drainedPrefix = 0
        isStalled = true
        return .stalled(handedBack, completed: first)
    }

    private mutating func fail(_ error: SystemCallError) -> FlushOutcome {
        .failed(error, abandon())
    }
}
