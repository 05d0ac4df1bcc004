/// Decisions read from a coverage-guided fuzzer's input bytes, so that the run is a function of
/// the bytes and mutating the bytes (libFuzzer) mutates the run's decisions.
///
/// Each decision reads as many bytes as its range needs — one byte up to 256 outcomes, two up to
/// 65 536, and so on up to eight — little-endian, and keeps the value modulo the range's size.
/// So every small choice (which of a few simultaneous events, where a short chunk is cut) is one
/// byte, a mutated byte changes one decision and leaves the later ones where they were, and every
/// byte string is a valid run. Past the end of the input a decision is 0, the canonical outcome,
/// as ``ReplayingChooser`` answers past the end of its list: the empty input is the canonical run,
/// and the decisions a run made (``RecordingChooser``) replay it exactly.
public final class ByteChooser: Chooser {
    public let bytes: [UInt8]
    /// Bytes read so far; past `bytes.count` the input is exhausted.
    public private(set) var consumed = 0

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var isExhausted: Bool { consumed >= bytes.count }

    public func decide(_ point: ChoicePoint, maxOffset: UInt64) -> UInt64 {
        let width = Self.width(ofMaxOffset: maxOffset)
        var value: UInt64 = 0
        for position in 0..<width where consumed < bytes.count {
            value |= UInt64(bytes[consumed]) << (8 * UInt64(position))
            consumed += 1
        }
        return maxOffset == .max ? value : value % (maxOffset + 1)
    }

    /// The bytes one decision in `0...maxOffset` reads: enough for `maxOffset`, at least one.
    public static func width(ofMaxOffset maxOffset: UInt64) -> Int {
        max(1, (64 - maxOffset.leadingZeroBitCount + 7) / 8)
    }

    /// The input that makes a `ByteChooser` answer `records` in order, so a recorded run (random,
    /// PCT, a replay file's list) becomes a fuzz input or a seed for one. Trailing zero bytes are
    /// left out: past the end reads as zero anyway.
    public static func input(answering records: [ChoiceRecord]) -> [UInt8] {
        var input: [UInt8] = []
        for record in records {
            let offset = min(record.offset, record.maxOffset)
            for position in 0..<width(ofMaxOffset: record.maxOffset) {
                input.append(UInt8(truncatingIfNeeded: offset >> (8 * UInt64(position))))
            }
        }
        while input.last == 0 { input.removeLast() }
        return input
    }
}
