/// filter-dump (B-2): writes every frame it sees to a pcap file and lets it continue.
///
/// Records are cut to `maxLength`; upstream skips the netdev's virtio-net header bytes (7.2
/// writes them). Timestamps are the net core's virtual clock plus `epochNanoseconds` (QEMU adds
/// the host's time at file creation; a deterministic run fixes it). Like QEMU, the dump stops
/// for good after a write error, and the frame is never affected.
public final class FilterDump: NetFilter {
    public struct Statistics: Sendable, Hashable {
        public var framesWritten = 0
        public var framesTruncated = 0
        /// Frames seen after the dump stopped.
        public var framesNotWritten = 0
    }

    public let typeName = "filter-dump"
    public let file: String?
    public let maxLength: UInt32
    public let version: QEMUNetVersion
    public let precision: PcapTimestampPrecision
    public let epochNanoseconds: UInt64
    public private(set) var statistics = Statistics()
    /// Why the dump stopped writing, once it has.
    public private(set) var stopReason: String?

    private var writer: PcapWriter?

    public static let defaultMaxLength: UInt32 = 65_536

    public init(
        file: String?,
        maxLength: UInt32 = FilterDump.defaultMaxLength,
        version: QEMUNetVersion = .upstream,
        precision: PcapTimestampPrecision = .microseconds,
        epochNanoseconds: UInt64 = 0
    ) throws(FilterPropertyError) {
        try Self.checkMaxLength(maxLength)
        self.file = file
        self.maxLength = maxLength
        self.version = version
        self.precision = precision
        self.epochNanoseconds = epochNanoseconds
    }

    /// QEMU's `maxlen` setter: a dump keeps at least one byte per frame, so 0 is refused. The
    /// deployment lint asks here too.
    public static func checkMaxLength(_ value: UInt32) throws(FilterPropertyError) {
        guard value > 0 else { throw .invalidMaxLength(value) }
    }

    public func setup(context: FilterContext) throws(FilterSetupError) {
        guard let file else { throw .dumpFileMissing }
        do {
            writer = try PcapWriter(path: file, snapshotLength: Int(maxLength), precision: precision)
        } catch {
            throw .dumpCannotOpen(error)
        }
    }

    public func receive(_ frame: Frame, direction: NetDirection, sender: NetClient, context: FilterContext) -> FilterVerdict {
        guard let writer else {
            statistics.framesNotWritten += 1
            return .pass
        }
        let destination = "pcap \(writer.path)"
        let skipped = version == .upstream ? Int(context.netdev.vnetHeaderLength) : 0
        guard frame.count >= skipped else {
            // QEMU's length arithmetic underflows here and its write comes up short, which
            // stops the dump (quirk); we stop without writing the bogus record header.
            return stop("a \(frame.count)-byte frame is shorter than the \(skipped)-byte vnet header", destination: destination)
        }
        let length = frame.count - skipped
        let captured = min(length, Int(maxLength))
        let stamp = PcapTimestamp(nanoseconds: epochNanoseconds &+ context.virtualNanoseconds)
        do {
            try writer.write(frame.bytes[skipped..<(skipped + captured)], originalLength: length, at: stamp)
        } catch {
            return stop(error.description, destination: destination)
        }
        statistics.framesWritten += 1
        if captured < length { statistics.framesTruncated += 1 }
        return .passAfterCopy(FilterOutput(destination: destination, result: .written(bytes: captured)))
    }

    /// Pushes written records to the file (e.g. before another program reads it).
    public func flush() throws(PcapError) {
        try writer?.flush()
    }

    public func cleanup(context: FilterContext) {
        try? writer?.close()
        writer = nil
    }

    private func stop(_ reason: String, destination: String) -> FilterVerdict {
        stopReason = reason
        try? writer?.close()
        writer = nil
        statistics.framesNotWritten += 1
        return .passAfterCopy(FilterOutput(destination: destination, result: .failed(code: FilterRecordSender.eio, reason: reason)))
    }
}
