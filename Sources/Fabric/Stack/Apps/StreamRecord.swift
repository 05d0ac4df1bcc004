/// How much of a stream an application keeps for its report.
public enum RecordingMode: String, Sendable, Hashable {
    /// The byte count only (benchmarks).
    case count
    /// Count and a running hash.
    case hash
    /// Count, hash and every byte.
    case bytes
}

/// What an application received (or sent) on one stream, byte for byte: a count always, a
/// running hash and the bytes themselves as the ``RecordingMode`` asks.
///
/// The hash takes the stream sixteen bytes at a time, in two independent lanes of a multiply
/// and a shift per word (like `TraceDigest`), rather than FNV-1a's serial multiply per byte:
/// every byte a guest or client moves is hashed, and the per-byte multiply chain was the largest
/// single cost of a COLO run. Bytes that do not yet fill a block wait in `partial` (there are
/// `count % 16` of them), so the result does not depend on how the stream was cut into appends.
/// The hash only ever compares two records of one process (``matches(_:)``, checkpoint
/// equality); it is never printed.
public struct StreamRecord: Sendable, Hashable {
    public let mode: RecordingMode
    public private(set) var count = 0
    /// The digests of every whole block so far: even words, odd words.
    private var lanes: (even: UInt64, odd: UInt64) = (FNV1a64.offsetBasis, ~FNV1a64.offsetBasis)
    /// The last `count % 16` bytes, least significant first.
    private var partial: (low: UInt64, high: UInt64) = (0, 0)
    /// The bytes, in ``RecordingMode/bytes`` mode.
    public private(set) var bytes: [UInt8]?

    public init(mode: RecordingMode) {
        self.mode = mode
        bytes = mode == .bytes ? [] : nil
    }

    /// The hash of the whole stream so far, partial last block included.
    public var hash: UInt64 {
        Self.mix(Self.mix(Self.mix(lanes.even, lanes.odd), partial.low), partial.high ^ UInt64(count & 15) << 56)
    }

    @inline(__always)
    private static func mix(_ digest: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = (digest ^ word) &* 0x9E37_79B9_7F4A_7C15
        return mixed ^ (mixed >> 29)
    }

    public mutating func append(_ raw: UnsafeRawBufferPointer) {
        var filled = count & 15
        count += raw.count
        guard mode != .count, !raw.isEmpty else { return }
        var (even, odd) = lanes
        var (low, high) = partial
        var index = 0
        if filled > 0 {
            while filled < 16 && index < raw.count {
                Self.place(raw[index], at: filled, &low, &high)
                filled += 1
                index += 1
            }
            if filled == 16 {
                even = Self.mix(even, low)
                odd = Self.mix(odd, high)
                (low, high, filled) = (0, 0, 0)
            }
        }
        while index + 16 <= raw.count {
            even = Self.mix(even, UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            odd = Self.mix(odd, UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)))
            index += 16
        }
        while index < raw.count {
            Self.place(raw[index], at: filled, &low, &high)
            filled += 1
            index += 1
        }
        lanes = (even, odd)
        partial = (low, high)
        bytes?.append(contentsOf: raw)
    }

    @inline(__always)
    private static func place(_ byte: UInt8, at position: Int, _ low: inout UInt64, _ high: inout UInt64) {
        if position < 8 {
            low |= UInt64(byte) << UInt64(position * 8)
        } else {
            high |= UInt64(byte) << UInt64((position - 8) * 8)
        }
    }

    public mutating func append(_ data: [UInt8]) {
        data.withUnsafeBytes { append($0) }
    }

    /// Same count and, when both hashed, the same hash.
    public func matches(_ other: StreamRecord) -> Bool {
        count == other.count && (mode == .count || other.mode == .count || hash == other.hash)
    }
}

// Written out because tuples are not Hashable.
extension StreamRecord {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.mode == rhs.mode && lhs.count == rhs.count && lhs.lanes == rhs.lanes && lhs.partial == rhs.partial
            && lhs.bytes == rhs.bytes
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(lanes.even)
        hasher.combine(lanes.odd)
    }
}
