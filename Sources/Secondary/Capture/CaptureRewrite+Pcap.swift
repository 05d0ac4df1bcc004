import Fabric

extension TimedFrame {
    /// A capture's record with its timestamp in microseconds (truncated).
    public init(_ record: PcapRecord) {
        self.init(timestampMicroseconds: record.timestamp.nanoseconds / 1_000, frame: Frame(record.capturedBytes))
    }
}

extension CaptureRewriteResult {
    /// Writes every frame as it left the rewriter, with its input timestamp, as a capture.
    /// `input` is the capture the run read (one output frame per record), so that a record
    /// truncated when it was captured keeps its wire length.
    /// The snapshot length fits the largest frame (at least 65,536), so nothing is cut.
    public func writeOutput(toCapture path: String, input: [PcapRecord]) throws(PcapError) {
        let largest = output.map(\.frame.count).max() ?? 0
        let writer = try PcapWriter(path: path, snapshotLength: max(65_536, largest))
        for (index, timed) in output.enumerated() {
            let original = max(input[index].originalLength, timed.frame.count)
            try writer.write(
                timed.frame.bytes, originalLength: original,
                at: PcapTimestamp(nanoseconds: timed.timestampMicroseconds &* 1_000))
        }
        try writer.close()
    }
}
