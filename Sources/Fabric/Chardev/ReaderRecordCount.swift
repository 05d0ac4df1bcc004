/// Why a pipe's reader may no longer frame the byte stream as its writer wrote it. From then on
/// what it decodes cannot be matched against what was written, so the count stops there.
public enum ReaderFramingLoss: String, Sendable, Hashable {
    /// A record was written with a V field the reader does not expect, or without one it does (W-12).
    case vnetFieldDisagreement = "writer and reader disagree on the V field"
    /// A fault damaged a record's length field (``ChardevRecordFault/corruptLength``).
    case corruptLength = "a length field was corrupted"
    /// A reset lost the rest of a record the reader had started; the reader keeps its half (W-9).
    case resetMidRecord = "a reset cut a record the reader had started"
    /// The reader reported a framing error (W-5.3) and threw bytes away.
    case framingError = "a framing error"
}

/// "Nothing lost silently" for a chardev reader: every record whose last byte the reader took in
/// was decoded into exactly one frame, except a zero-length record W-7 still holds back. Holds
/// for any chunking as long as the framing is intact; a reader that misreads a length field
/// swallows records silently and breaks it. Counted until ``checkedUntil`` happened, if it did.
public struct ReaderRecordCount: Sendable, Hashable {
    /// Records whose last byte reached the reader.
    public var recordsRead: UInt64
    public var framesDecoded: UInt64
    /// 1 while a complete zero-length record waits for more input (W-7), else 0.
    public var heldZeroLength: Int
    /// What ended the count, or nil when it covers the whole run.
    public var checkedUntil: ReaderFramingLoss?

    public init(recordsRead: UInt64, framesDecoded: UInt64, heldZeroLength: Int, checkedUntil: ReaderFramingLoss?) {
        self.recordsRead = recordsRead
        self.framesDecoded = framesDecoded
        self.heldZeroLength = heldZeroLength
        self.checkedUntil = checkedUntil
    }

    public var balances: Bool { recordsRead == framesDecoded + UInt64(heldZeroLength) }
}
