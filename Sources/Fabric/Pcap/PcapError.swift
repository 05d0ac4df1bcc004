/// Everything that can go wrong reading or writing a capture file. Each case names the file and,
/// for records, the record's index (0-based) and byte offset, so a broken file can be located.
public enum PcapError: Error, Sendable, Hashable, CustomStringConvertible {
    case fileNotFound(path: String)
    case cannotOpen(path: String, reason: String)
    /// libpcap refused the file header (random bytes, empty file, truncated header, pcapng
    /// variants it cannot read); `libpcapMessage` is libpcap's own explanation.
    case notACaptureFile(path: String, libpcapMessage: String)
    /// Lockstep only handles Ethernet captures (DLT_EN10MB = 1).
    case unsupportedLinkType(path: String, linkType: Int32, name: String)
    /// The file ends in the middle of a record header or record data.
    case truncatedRecord(path: String, recordIndex: Int, offset: Int64, libpcapMessage: String)
    /// A record header libpcap rejects (e.g. a captured length beyond any sane snapshot length).
    case corruptRecord(path: String, recordIndex: Int, offset: Int64, libpcapMessage: String)
    case cannotCreate(path: String, reason: String)
    case writeFailed(path: String, recordIndex: Int, reason: String)
    /// A classic pcap record holds unsigned 32-bit seconds: nothing after 2106-02-07.
    case timestampOutOfRange(path: String, recordIndex: Int, seconds: UInt64)
    case invalidSnapshotLength(Int)
    case alreadyClosed(path: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            "capture file '\(path)' does not exist"
        case .cannotOpen(let path, let reason):
            "cannot open capture file '\(path)': \(reason)"
        case .notACaptureFile(let path, let message):
            "'\(path)' is not a readable pcap capture file: \(message)"
        case .unsupportedLinkType(let path, let linkType, let name):
            "capture file '\(path)' has link type \(linkType) (\(name)); only Ethernet (1, EN10MB) is supported"
        case .truncatedRecord(let path, let index, let offset, let message):
            "capture file '\(path)' is truncated in record #\(index) starting at byte \(offset): \(message)"
        case .corruptRecord(let path, let index, let offset, let message):
            "capture file '\(path)' has a corrupt record #\(index) at byte \(offset): \(message)"
        case .cannotCreate(let path, let reason):
            "cannot create capture file '\(path)': \(reason)"
        case .writeFailed(let path, let index, let reason):
            "writing record #\(index) to capture file '\(path)' failed: \(reason)"
        case .timestampOutOfRange(let path, let index, let seconds):
            "record #\(index) of capture file '\(path)' is stamped \(seconds) s after 1970, past what a pcap record holds (2^32 - 1 s)"
        case .invalidSnapshotLength(let length):
            "snapshot length \(length) is invalid: it must be between 1 and \(Int32.max)"
        case .alreadyClosed(let path):
            "capture file '\(path)' was already closed"
        }
    }
}
