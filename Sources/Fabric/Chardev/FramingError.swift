/// A framing error found by ``RecordDecoder``. The only one QEMU's reader can detect is a record
/// too large for its buffer (W-5.3, W-8); a vnet-header mismatch between the ends (W-12) or a
/// desynchronised stream surfaces as this same error, with no more specific diagnosis possible.
public struct FramingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The reader's input, e.g. a chardev id ("red0", "primary_in"); empty if unnamed.
    public var input: String
    /// The record's declared length L.
    public var declaredLength: UInt32
    /// The V read for the record (0 without vnet support).
    public var vnetHeaderLength: UInt32
    /// Stream offset of the record's first header byte.
    public var recordOffset: UInt64
    /// Stream offset of the first byte whose copy would have overflowed the buffer.
    public var overflowOffset: UInt64
    /// Payload bytes of the record already collected, discarded with it.
    public var collectedBytes: Int
    /// Bytes of the current chunk from the overflow point on, discarded unread.
    public var discardedChunkBytes: Int
    /// The capacity that was exceeded.
    public var capacity: Int

    public var description: String {
        let name = input.isEmpty ? "chardev input" : "chardev input '\(input)'"
        return "\(name): oversized record at stream offset \(recordOffset) "
            + "(declared length \(declaredLength), capacity \(capacity)); overflow at offset "
            + "\(overflowOffset), \(collectedBytes) collected and \(discardedChunkBytes) unread "
            + "bytes discarded"
    }
}

/// Why a record could not be written.
public enum RecordEncodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// colo-compare refuses to send zero bytes (W-4).
    case emptySendRefused
    /// The payload does not fit the 32-bit length field.
    case payloadTooLarge(length: Int)

    public var description: String {
        switch self {
        case .emptySendRefused:
            return "refused to send a zero-length record (colo-compare rule W-4)"
        case let .payloadTooLarge(length):
            return "payload of \(length) bytes does not fit a 32-bit record length"
        }
    }
}
