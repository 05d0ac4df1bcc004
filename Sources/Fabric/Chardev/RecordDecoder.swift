/// QEMU's chardev record reader (W-5 … W-9), fed arbitrary chunks of the byte stream.
///
/// States: ``Phase/length`` (collect the 4-byte L) → ``Phase/vnetLength`` (collect the 4-byte V,
/// only with vnet support; otherwise V = 0) → ``Phase/data`` (collect L bytes) → back to length.
/// Any chunking gives the same frames, whether records share a chunk or are split anywhere,
/// including inside the header fields (W-6).
///
/// Capacity (W-5.3, W-8): each copy in the data phase moves `min(L − collected, bytes left in the
/// chunk)`; if that copy would push the collected size past ``capacity``, the reader reports a
/// ``FramingError``, forgets the record (and what it had collected), returns to the length phase
/// and ignores the rest of the chunk. So a record of exactly `capacity` bytes is accepted, and
/// an oversized record is detected only once enough of it has arrived. L itself is never checked,
/// and V never (W-8).
///
/// Zero-length records (W-7, quirk): under ``FramingProfile/qemu`` an L = 0 record is delivered
/// only when the decoder is next fed at least one byte, because QEMU's loop runs only while input
/// remains. ``FramingProfile/corrected`` delivers it as soon as its header is complete.
///
/// Mutant (``EngineMutant/splitLengthField``, fuzzing only): a header field that arrives in
/// more than one chunk is assembled least significant byte first. Only the byte-at-a-time path
/// (taken exactly when a field is split) looks at it, so it costs nothing when off.
///
/// Nothing here reacts to disconnection: the state carries over to whatever bytes come next
/// (W-9). Call ``reset()`` only to model a reader that is recreated.
public struct RecordDecoder: Sendable {
    public enum Phase: Sendable, Hashable {
        case length
        case vnetLength
        case data
    }

    /// Running totals, for "nothing lost silently" accounting.
    public struct Counters: Sendable, Hashable {
        public var bytesFed: UInt64 = 0
        public var framesDelivered: UInt64 = 0
        public var payloadBytesDelivered: UInt64 = 0
        public var framingErrors: UInt64 = 0
        /// Collected payload bytes and unread chunk bytes thrown away by framing errors.
        public var bytesDiscarded: UInt64 = 0
    }

    public let vnetHeaderSupport: Bool
    public let profile: FramingProfile
    public let capacity: Int
    /// Names the input in errors, e.g. the chardev id.
    public let input: String
    /// A deliberate bug for the fuzzer (``EngineMutant/splitLengthField``); nil in every real path.
    public let mutant: EngineMutant?
    private let swapsSplitFields: Bool

    public private(set) var phase: Phase = .length
    public private(set) var counters = Counters()

    /// Stream offset of the next byte to be fed.
    public var streamOffset: UInt64 { counters.bytesFed }

    private var fieldValue: UInt32 = 0
    private var fieldBytes = 0
    private var declaredLength: UInt32 = 0
    private var vnetHeaderLength: UInt32 = 0
    private var collected: [UInt8] = []
    private var recordOffset: UInt64 = 0

    public init(
        vnetHeaderSupport: Bool,
        profile: FramingProfile = .qemu,
        capacity: Int = ChardevConstants.netBufferSize,
        input: String = "",
        mutant: EngineMutant? = nil
    ) {
        self.vnetHeaderSupport = vnetHeaderSupport
        self.profile = profile
        self.capacity = capacity
        self.input = input
        self.mutant = mutant
        swapsSplitFields = mutant == .splitLengthField
    }

    /// True when a zero-length record is complete but held back by W-7 until more input.
    public var holdsDeferredZeroLengthRecord: Bool {
        phase == .data && declaredLength == 0
    }

    /// Bytes of the current record's payload collected so far.
    public var collectedCount: Int { collected.count }

    /// Forgets any partial record. QEMU never does this on disconnect (W-9); it models a reader
    /// that is created anew.
    public mutating func reset() {
        phase = .length
        fieldValue = 0
        fieldBytes = 0
        declaredLength = 0
        vnetHeaderLength = 0
        collected = []
    }

    /// Feeds one chunk. Complete frames go to `deliver` in stream order. Returns the framing error
    /// that ended processing of this chunk, if any; the decoder is then back in the length phase
    /// and can be fed again (QEMU's consumers stop reading instead, W-10/W-11).
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, _ deliver: (Frame) -> Void) -> FramingError? {
        let chunkStart = counters.bytesFed
        counters.bytesFed += UInt64(chunk.count)
        let end = chunk.count
        var position = 0
        while position < end {
            switch phase {
            case .length, .vnetLength:
                position = readField(chunk, from: position, chunkStart: chunkStart, deliver)
            case .data:
                let wanted = Int(declaredLength) - collected.count
                let take = min(wanted, end - position)
                if collected.count + take > capacity {
                    return overflow(at: position, of: chunk, chunkStart: chunkStart)
                }
                if take == wanted && collected.isEmpty {
                    deliverFrame(copying: chunk, from: position, count: take, deliver)
                } else {
                    if collected.isEmpty {
                        collected.reserveCapacity(min(Int(declaredLength), capacity))
                    }
                    collected.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[position..<(position + take)]))
                    if collected.count == Int(declaredLength) {
                        let bytes = collected
                        collected = []
                        deliverFrame(bytes, deliver)
                    }
                }
                position += take
            }
        }
        return nil
    }

    public mutating func feed(_ chunk: [UInt8], _ deliver: (Frame) -> Void) -> FramingError? {
        chunk.withUnsafeBytes { feed($0, deliver) }
    }

    public mutating func feed(_ chunk: ArraySlice<UInt8>, _ deliver: (Frame) -> Void) -> FramingError? {
        chunk.withUnsafeBytes { feed($0, deliver) }
    }

    /// Convenience for tests and tools: the frames of one chunk, and the error if one ended it.
    public mutating func decode(_ chunk: [UInt8]) -> (frames: [Frame], error: FramingError?) {
        var frames: [Frame] = []
        let error = feed(chunk) { frames.append($0) }
        return (frames, error)
    }

    /// Collects header bytes into the current 4-byte field; returns the new chunk position.
    private mutating func readField(
        _ chunk: UnsafeRawBufferPointer,
        from start: Int,
        chunkStart: UInt64,
        _ deliver: (Frame) -> Void
    ) -> Int {
        var position = start
        if phase == .length && fieldBytes == 0 {
            recordOffset = chunkStart + UInt64(position)
        }
        let fieldSize = ChardevConstants.headerFieldSize
        if fieldBytes == 0 && chunk.count - position >= fieldSize {
            fieldValue = UInt32(bigEndian: chunk.loadUnaligned(fromByteOffset: position, as: UInt32.self))
            fieldBytes = fieldSize
            position += fieldSize
        } else {
            while fieldBytes < fieldSize && position < chunk.count {
                if swapsSplitFields {
                    fieldValue |= UInt32(chunk[position]) << (8 * fieldBytes)
                } else {
                    fieldValue = fieldValue << 8 | UInt32(chunk[position])
                }
                fieldBytes += 1
                position += 1
            }
        }
        guard fieldBytes == fieldSize else { return position }
        let value = fieldValue
        fieldValue = 0
        fieldBytes = 0
        if phase == .length {
            declaredLength = value
            if vnetHeaderSupport {
                phase = .vnetLength
                return position
            }
            vnetHeaderLength = 0
        } else {
            vnetHeaderLength = value
        }
        phase = .data
        if declaredLength == 0 && !profile.defersZeroLengthRecords {
            deliverFrame([], deliver)
        }
        return position
    }

    private mutating func deliverFrame(
        copying chunk: UnsafeRawBufferPointer,
        from position: Int,
        count: Int,
        _ deliver: (Frame) -> Void
    ) {
        guard count > 0 else {
            deliverFrame([], deliver)
            return
        }
        // Array(_:) of a raw buffer is specialised here; init(unsafeUninitializedCapacity:)
        // calls the standard library's unspecialised buffer allocation, which looks up the
        // storage's generic metadata on every frame (about 25 ns a frame, measured).
        deliverFrame(Array(UnsafeRawBufferPointer(rebasing: chunk[position..<(position + count)])), deliver)
    }

    private mutating func deliverFrame(_ bytes: [UInt8], _ deliver: (Frame) -> Void) {
        phase = .length
        counters.framesDelivered += 1
        counters.payloadBytesDelivered += UInt64(bytes.count)
        deliver(Frame(bytes, vnetHeaderLength: vnetHeaderLength))
    }

    private mutating func overflow(at position: Int, of chunk: UnsafeRawBufferPointer, chunkStart: UInt64) -> FramingError {
        let unread = chunk.count - position
        let error = FramingError(
            input: input,
            declaredLength: declaredLength,
            vnetHeaderLength: vnetHeaderLength,
            recordOffset: recordOffset,
            overflowOffset: chunkStart + UInt64(position),
            collectedBytes: collected.count,
            discardedChunkBytes: unread,
            capacity: capacity
        )
        counters.framingErrors += 1
        counters.bytesDiscarded += UInt64(collected.count + unread)
        reset()
        return error
    }
}
