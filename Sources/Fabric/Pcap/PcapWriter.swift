import CPcap

/// Writes an Ethernet (DLT_EN10MB) capture file through libpcap.
///
/// Records longer than the snapshot length are cut to it, keeping the original length in the
/// record header, as filter-dump does with its `maxlen`. Timestamps come from the caller (a
/// virtual clock), never from the wall clock. The libpcap handles are closed by `close()` or,
/// at the latest, when the writer is released.
public final class PcapWriter {
    public let path: String
    public let snapshotLength: Int
    public let precision: PcapTimestampPrecision
    public private(set) var recordsWritten = 0

    private var handle: OpaquePointer?
    private var dumper: OpaquePointer?

    /// DLT_EN10MB.
    static let ethernetLinkType: Int32 = 1

    public init(
        path: String,
        snapshotLength: Int = 65_536,
        precision: PcapTimestampPrecision = .microseconds
    ) throws(PcapError) {
        guard snapshotLength > 0, snapshotLength <= Int(Int32.max) else {
            throw .invalidSnapshotLength(snapshotLength)
        }
        self.path = path
        self.snapshotLength = snapshotLength
        self.precision = precision
        guard
            let handle = pcap_open_dead_with_tstamp_precision(
                Self.ethernetLinkType, Int32(snapshotLength), precision.libpcapValue)
        else {
            throw .cannotCreate(path: path, reason: "libpcap could not allocate a capture handle")
        }
        guard let dumper = pcap_dump_open(handle, path) else {
            let reason = String(cString: pcap_geterr(handle))
            pcap_close(handle)
            throw .cannotCreate(path: path, reason: reason)
        }
        self.handle = handle
        self.dumper = dumper
    }

    deinit {
        if let dumper { pcap_dump_close(dumper) }
        if let handle { pcap_close(handle) }
    }

    public var isClosed: Bool { dumper == nil }

    /// Appends one record. `originalLength` is the length on the wire before any truncation
    /// the caller already did; it defaults to the byte count given.
    public func write(
        _ bytes: some Collection<UInt8>,
        originalLength: Int? = nil,
        at timestamp: PcapTimestamp
    ) throws(PcapError) {
        guard let dumper else { throw .alreadyClosed(path: path) }
        let captured = Array(bytes.prefix(snapshotLength))
        let wireLength = max(originalLength ?? bytes.count, captured.count)
        let stamp = timestamp.truncated(to: precision)
        guard stamp.seconds <= UInt64(UInt32.max) else {
            throw .timestampOutOfRange(path: path, recordIndex: recordsWritten, seconds: stamp.seconds)
        }
        var header = pcap_pkthdr()
        header.ts.tv_sec = numericCast(Int(clamping: stamp.seconds))
        header.ts.tv_usec = numericCast(Int(stamp.nanosecondsIntoSecond / precision.nanosecondsPerUnit))
        header.caplen = UInt32(clamping: captured.count)
        header.len = UInt32(clamping: wireLength)
        captured.withUnsafeBufferPointer { buffer in
            // libpcap's record writer takes the dumper disguised as its "user" byte pointer.
            pcap_dump(UnsafeMutablePointer<UInt8>(dumper), &header, buffer.baseAddress)
        }
        if let file = pcap_dump_file(dumper), CLibrary.hasError(file) {
            throw .writeFailed(path: path, recordIndex: recordsWritten, reason: CLibrary.errorText(CLibrary.lastErrorCode))
        }
        recordsWritten += 1
    }

    /// Pushes buffered records to the file so another reader (tshark, a test) sees them.
    public func flush() throws(PcapError) {
        guard let dumper else { throw .alreadyClosed(path: path) }
        if pcap_dump_flush(dumper) != 0 {
            throw .writeFailed(path: path, recordIndex: recordsWritten, reason: CLibrary.errorText(CLibrary.lastErrorCode))
        }
    }

    /// Flushes and releases the libpcap handles. Closing twice is harmless.
    public func close() throws(PcapError) {
        guard let dumper else { return }
        let flushFailed = pcap_dump_flush(dumper) != 0
        let code = CLibrary.lastErrorCode
        pcap_dump_close(dumper)
        self.dumper = nil
        if let handle { pcap_close(handle) }
        handle = nil
        if flushFailed {
            throw .writeFailed(path: path, recordIndex: recordsWritten, reason: CLibrary.errorText(code))
        }
    }
}
