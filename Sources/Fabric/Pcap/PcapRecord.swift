/// One record read back from a capture file.
public struct PcapRecord: Sendable, Hashable {
    /// 0-based position of the record in the file.
    public var index: Int
    /// Byte offset of the record header in the file.
    public var offset: Int64
    public var timestamp: PcapTimestamp
    /// The bytes stored in the file (at most the snapshot length).
    public var capturedBytes: [UInt8]
    /// The frame's length before truncation.
    public var originalLength: Int
    /// The record's sub-second field was a second or more (clamped to the last nanosecond).
    public var fractionOutOfRange: Bool

    public init(index: Int, offset: Int64, timestamp: PcapTimestamp, capturedBytes: [UInt8], originalLength: Int,
                fractionOutOfRange: Bool = false) {
        self.index = index
        self.offset = offset
        self.timestamp = timestamp
        self.capturedBytes = capturedBytes
        self.originalLength = originalLength
        self.fractionOutOfRange = fractionOutOfRange
    }

    /// The capture kept fewer bytes than the frame had on the wire (caplen < len).
    public var isTruncated: Bool { capturedBytes.count < originalLength }
}
