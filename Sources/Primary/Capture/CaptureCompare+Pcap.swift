import Fabric

extension CapturedFrame {
    /// A capture's record with its timestamp in microseconds (truncated).
    public init(_ record: PcapRecord) {
        self.init(timestampUs: Int64(clamping: record.timestamp.nanoseconds / 1000), frame: Frame(record.capturedBytes),
                  truncated: record.isTruncated)
    }
}

extension CaptureCompareResult {
    /// Writes the frames released to outdev, in outdev order, as a capture: each at its
    /// release time on the inputs' clock (never before the epoch), none truncated.
    public func writeReleased(toCapture path: String) throws(PcapError) {
        let writer = try PcapWriter(path: path, snapshotLength: 262_144)
        for frame in released {
            let us = max(0, originUs + frame.timeUs)
            try writer.write(frame.frame.bytes, at: PcapTimestamp(nanoseconds: UInt64(us) * 1000))
        }
        try writer.close()
    }
}
