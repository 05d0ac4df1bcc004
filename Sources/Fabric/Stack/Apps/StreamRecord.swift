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
/// The hash takes the stream eight bytes at a time (a multiply and a shift per word, like
/// `TraceDigest`) rather than FNV-1a's multiply per byte: every byte a guest or client moves is
/// hashed, and a per-byte multiply chain was the largest single cost of a COLO run. Bytes that
/// do not yet fill a word wait in `partialWord` (there are `count % 8` of them), so the result
/// does not depend on how the stream was cut into appends. The hash only ever compares two
/// records of one process (``matches(_:)``, checkpoint equality); it is never printed.
public struct StreamRecord: Sendable, Hashable {
    public let mode: RecordingMode
    public private(set) var count = 0
    /// The digest of every whole word so far.
    private var wordDigest = FNV1a64.offsetBasis
    /// The last `count % 8` bytes, least significant first.
    private var partialWord: UInt64 = 0
    /// The bytes, in ``RecordingMode/bytes`` mode.
    public private(set) var bytes: [UInt8]?

    public init(mode: RecordingMode) {
        self.mode = mode
        bytes = mode == .bytes ? [] : nil
    }

    /// The hash of the whole stream so far, partial last word included.
    public var hash: UInt64 {
        Self.mix(wordDigest, partialWord ^ UInt64(count & 7) << 56)
    }

    @inline(__always)
    private static func mix(_ digest: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = (digest ^ word) &* 0x9E37_79B9_7F4A_7C15
        return mixed ^ (mixed >> 29)
    }

    public mutating func append(_ raw: UnsafeRawBufferPointer) {
        let filled = count & 7
        count += raw.count
        guard mode != .count, !raw.isEmpty else { return }
        var digest = wordDigest
        var word = partialWord
        var shift = UInt64(filled * 8)
        var index = 0
        if filled > 0 {
            while shift < 64 && index < raw.count {
                word |= UInt64(raw[index]) << shift
                shift += 8
                index += 1
            }
            if shift == 64 {
                digest = Self.mix(digest, word)
                word = 0
                shift = 0
            }
        }
        while index + 8 <= raw.count {
            digest = Self.mix(digest, UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            index += 8
        }
        while index < raw.count {
            word |= UInt64(raw[index]) << shift
            shift += 8
            index += 1
        }
        wordDigest = digest
        partialWord = word
        bytes?.append(contentsOf: raw)
    }

    public mutating func append(_ data: [UInt8]) {
        data.withUnsafeBytes { append($0) }
    }

    /// Same count and, when both hashed, the same hash.
    public func matches(_ other: StreamRecord) -> Bool {
        count == other.count && (mode == .count || other.mode == .count || hash == other.hash)
    }
}
