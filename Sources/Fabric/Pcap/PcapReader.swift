import CPcap

/// Reads an Ethernet capture file through libpcap, record by record.
///
/// Timestamps are always delivered with nanosecond resolution (libpcap scales microsecond files).
/// A broken file produces a typed `PcapError` naming the file and record; it never crashes.
public final class PcapReader {
    public let path: String
    public let snapshotLength: Int
    public let linkType: Int32
    public private(set) var recordsRead = 0

    private var handle: OpaquePointer?
    private var finished = false

    public init(path: String) throws(PcapError) {
        self.path = path
        guard CLibrary.fileExists(path) else { throw .fileNotFound(path: path) }
        guard CLibrary.isReadable(path) else {
            throw .cannotOpen(path: path, reason: CLibrary.errorText(CLibrary.lastErrorCode))
        }
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        let opened = errorBuffer.withUnsafeMutableBufferPointer { buffer in
            pcap_open_offline_with_tstamp_precision(
                path, PcapTimestampPrecision.nanoseconds.libpcapValue, buffer.baseAddress)
        }
        guard let opened else {
            let message = String(
                decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw .notACaptureFile(path: path, libpcapMessage: message)
        }
        self.linkType = try Self.ethernetLinkType(of: opened, path: path)
        self.handle = opened
        self.snapshotLength = Int(pcap_snapshot(opened))
    }

    /// Reads a capture held in memory, as the file `name` would be read (`name` only labels
    /// errors). The bytes are copied into a memory stream that libpcap owns and frees.
    public init(bytes: [UInt8], name: String) throws(PcapError) {
        path = name
        let opened = try PcapMemoryStream.open(bytes, name: name)
        linkType = try Self.ethernetLinkType(of: opened, path: name)
        handle = opened
        snapshotLength = Int(pcap_snapshot(opened))
    }

    /// The capture's link type, which must be Ethernet; otherwise closes it and says so.
    private static func ethernetLinkType(of opened: OpaquePointer, path: String) throws(PcapError) -> Int32 {
        let linkType = pcap_datalink(opened)
        guard linkType == PcapWriter.ethernetLinkType else {
            let name = pcap_datalink_val_to_name(linkType).map { String(cString: $0) } ?? "unknown"
            pcap_close(opened)
            throw .unsupportedLinkType(path: path, linkType: linkType, name: name)
        }
        return linkType
    }

    deinit {
        if let handle { pcap_close(handle) }
    }

    /// The next record, or nil at the clean end of the file.
    public func next() throws(PcapError) -> PcapRecord? {
        guard let handle else { throw .alreadyClosed(path: path) }
        if finished { return nil }
        let offset = pcap_file(handle).map(CLibrary.position) ?? -1
        var headerPointer: UnsafeMutablePointer<pcap_pkthdr>?
        var dataPointer: UnsafePointer<UInt8>?
        let status = pcap_next_ex(handle, &headerPointer, &dataPointer)
        switch status {
        case 1:
            guard let header = headerPointer?.pointee else {
                throw .corruptRecord(path: path, recordIndex: recordsRead, offset: offset, libpcapMessage: "libpcap returned no record header")
            }
            let captured = Int(header.caplen)
            let bytes: [UInt8] =
                if let dataPointer, captured > 0 {
                    Array(UnsafeBufferPointer(start: dataPointer, count: captured))
                } else {
                    []
                }
            // The file holds unsigned 32-bit seconds (until 2106); libpcap hands them over as a
            // signed 32-bit value, so 2^31 s and later would read as before 1970.
            let seconds = UInt64(UInt32(truncatingIfNeeded: header.ts.tv_sec))
            // The sub-second field, scaled to nanoseconds by libpcap; a signed 32-bit value in
            // the file, so a field of 2^31 or more arrives negative.
            let fraction = Int64(header.ts.tv_usec)
            let nanos = UInt64(clamping: fraction)
            let record = PcapRecord(
                index: recordsRead,
                offset: offset,
                timestamp: PcapTimestamp(seconds: seconds, nanosecondsIntoSecond: nanos),
                capturedBytes: bytes,
                originalLength: Int(header.len),
                fractionOutOfRange: fraction < 0 || fraction >= 1_000_000_000)
            recordsRead += 1
            return record
        case PCAP_ERROR_BREAK:
            finished = true
            return nil
        default:
            finished = true
            let message = String(cString: pcap_geterr(handle))
            if message.contains("truncated") {
                throw .truncatedRecord(path: path, recordIndex: recordsRead, offset: offset, libpcapMessage: message)
            }
            throw .corruptRecord(path: path, recordIndex: recordsRead, offset: offset, libpcapMessage: message)
        }
    }

    /// Every remaining record; stops at the first broken one with its error.
    public func readAll() throws(PcapError) -> [PcapRecord] {
        var records: [PcapRecord] = []
        while let record = try next() {
            records.append(record)
        }
        return records
    }

    public func close() {
        if let handle { pcap_close(handle) }
        handle = nil
    }

    /// Reads a whole file and closes it.
    public static func readAll(path: String) throws(PcapError) -> [PcapRecord] {
        let reader = try PcapReader(path: path)
        defer { reader.close() }
        return try reader.readAll()
    }
}
