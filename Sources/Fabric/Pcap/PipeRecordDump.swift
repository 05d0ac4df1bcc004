/// Writes every record a chardev pipe delivers to a pcap file, timestamped with virtual time:
/// what a `tcpdump` on the socket between two QEMU processes would show once de-framed.
///
/// The vnet header bytes (V, carried in the record) are skipped, as filter-dump skips them
/// (B-2), so the capture holds Ethernet frames. A record too short for its own V is written
/// empty and counted in `malformedRecords` rather than dropped from the capture.
public final class PipeRecordDump {
    public let writer: PcapWriter
    public private(set) var recordsWritten = 0
    public private(set) var malformedRecords = 0
    /// The first write error; later records are not attempted once the file has failed.
    public private(set) var failure: PcapError?

    public init(pipe: ChardevPipe, writer: PcapWriter) {
        self.writer = writer
        let scheduler = pipe.scheduler
        pipe.recordTap = { [unowned self] frame in
            self.write(frame, at: scheduler.now)
        }
    }

    private func write(_ frame: Frame, at time: VirtualTime) {
        guard failure == nil else { return }
        let skip = Int(min(UInt32(frame.count), frame.vnetHeaderLength))
        if Int(frame.vnetHeaderLength) > frame.count { malformedRecords += 1 }
        do {
            try writer.write(frame.bytes[skip...], at: PcapTimestamp(nanoseconds: UInt64(max(0, time.nanoseconds))))
            recordsWritten += 1
        } catch {
            failure = error
        }
    }
}
