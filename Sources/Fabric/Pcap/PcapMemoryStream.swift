import CPcap
import Glibc

/// A capture held in memory, opened by libpcap as a file would be: a fuzzer hands captures over
/// as bytes, and a temporary file per input would cost more than the parse.
enum PcapMemoryStream {
    /// A libpcap handle reading a copy of `bytes`; `name` labels errors.
    static func open(_ bytes: [UInt8], name: String) throws(PcapError) -> OpaquePointer {
        guard !bytes.isEmpty else { throw .notACaptureFile(path: name, libpcapMessage: "the capture is empty") }
        // Without a buffer of its own, fmemopen allocates one that fclose frees, and libpcap's
        // close closes the stream: nothing here outlives the handle. "w+" to fill it, then read;
        // one byte more than the capture, because a flush writes a NUL after the data and, in a
        // full buffer, over its last byte.
        guard let stream = fmemopen(nil, bytes.count + 1, "w+") else {
            throw .cannotOpen(path: name, reason: CLibrary.errorText(CLibrary.lastErrorCode))
        }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, stream) }
        guard written == bytes.count else {
            fclose(stream)
            throw .cannotOpen(path: name, reason: "could not copy \(bytes.count) bytes into a memory stream")
        }
        rewind(stream)
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        let opened = errorBuffer.withUnsafeMutableBufferPointer { buffer in
            pcap_fopen_offline_with_tstamp_precision(stream, PcapTimestampPrecision.nanoseconds.libpcapValue, buffer.baseAddress)
        }
        guard let opened else {
            // libpcap leaves a stream it refused open.
            fclose(stream)
            let message = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw .notACaptureFile(path: name, libpcapMessage: message)
        }
        return opened
    }
}
