/// `--trace FILE`: the run's JSON lines, buffered and written in large pieces to an
/// `OutputFile` (so a device or FIFO is written in place and a regular file replaced whole).
final class TraceFile {
    private let file: OutputFile
    private var buffer: [UInt8] = []

    init(path: String) throws(OutputFile.Failure) {
        file = try OutputFile(path: path)
    }

    func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
    }

    private func flush() {
        file.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and completes the file; a failed write is reported here.
    func close() throws(OutputFile.Failure) {
        flush()
        try file.close()
    }
}
