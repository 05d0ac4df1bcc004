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

    public init(index: Int, offset: Int64, timestamp: PcapTimestamp, capturedBytes: [UInt8], originalLength: Int) {
        self.index = index
        self.offset = offset
        self.timestamp = timestamp
        self.capturedBytes = capturedBytes
        self.originalLength = originalLength
    }

    public var isTruncated: Bool { capturedBytes.count < originalLength }
}
