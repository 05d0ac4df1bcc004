import Fabric

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
/// The hash takes the stream 32 bytes at a time, in four independent lanes of a multiply and a
/// shift per word (like `TraceDigest`), rather than FNV-1a's serial multiply per byte: every byte
/// a guest or client moves is hashed, and the per-byte multiply chain was the largest single cost
/// of a COLO run. Bytes that do not yet fill a block wait in `partial` (there are `count % 32` of
/// them), so the result does not depend on how the stream was cut into appends. The hash only
/// ever compares two records of one process (``matches(_:)``, checkpoint equality); it is never
/// printed.
public struct StreamRecord: Sendable, Hashable {
    public let mode: RecordingMode
    public private(set) var count = 0
    /// The digests of every whole block so far, one per word position in the block.
    private var lanes = Words(FNV1a64.offsetBasis, ~FNV1a64.offsetBasis, FNV1a64.prime, ~FNV1a64.prime)
    /// The last `count % 32` bytes, least significant first.
    private var partial = Words(0, 0, 0, 0)
    /// The bytes, in ``RecordingMode/bytes`` mode.
    public private(set) var bytes: [UInt8]?

    private static let blockSize = 32

    /// Four words: a block, or the lanes' digests.
    private struct Words: Sendable, Hashable {
        var w0, w1, w2, w3: UInt64

        init(_ w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
            (self.w0, self.w1, self.w2, self.w3) = (w0, w1, w2, w3)
        }

        /// ORs `byte` in at byte `position` (0..<32) of the block.
        @inline(__always)
        mutating func place(_ byte: UInt8, at position: Int) {
            let value = UInt64(byte) << UInt64((position & 7) * 8)
            switch position >> 3 {
            case 0: w0 |= value
            case 1: w1 |= value
            case 2: w2 |= value
            default: w3 |= value
            }
        }

        @inline(__always)
        mutating func mix(_ block: Words) {
            w0 = StreamRecord.mix(w0, block.w0)
            w1 = StreamRecord.mix(w1, block.w1)
            w2 = StreamRecord.mix(w2, block.w2)
            w3 = StreamRecord.mix(w3, block.w3)
        }
    }

    public init(mode: RecordingMode) {
        self.mode = mode
        bytes = mode == .bytes ? [] : nil
    }

    /// The hash of the whole stream so far, partial last block included.
    public var hash: UInt64 {
        var digest = Self.mix(Self.mix(Self.mix(lanes.w0, lanes.w1), lanes.w2), lanes.w3)
        digest = Self.mix(Self.mix(Self.mix(digest, partial.w0), partial.w1), partial.w2)
        return Self.mix(digest, partial.w3 ^ UInt64(count % Self.blockSize) << 56)
    }

    @inline(__always)
    fileprivate static func mix(_ digest: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = (digest ^ word) &* 0x9E37_79B9_7F4A_7C15
        return mixed ^ (mixed >> 29)
    }

    public mutating func append(_ raw: UnsafeRawBufferPointer) {
        var filled = count % Self.blockSize
        count += raw.count
        guard mode != .count, !raw.isEmpty else { return }
        var digests = lanes
        var block = partial
        var index = 0
        if filled > 0 {
            while filled < Self.blockSize && index < raw.count {
                block.place(raw[index], at: filled)
                filled += 1
                index += 1
            }
            if filled == Self.blockSize {
                digests.mix(block)
                block = Words(0, 0, 0, 0)
                filled = 0
            }
        }
        while index + Self.blockSize <= raw.count {
            digests.mix(Words(
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)),
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)),
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)),
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self))))
            index += Self.blockSize
        }
        while index < raw.count {
            block.place(raw[index], at: filled)
            filled += 1
            index += 1
        }
        lanes = digests
        partial = block
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
