import ArgumentParser
import Foundation

/// Buffers trace lines and writes them to a file in large pieces.
final class TraceFile {
    private let handle: FileHandle
    private var buffer = ""
    private let path: String

    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw ValidationError("cannot create trace file '\(path)'")
        }
        self.handle = handle
    }

    func write(_ line: String) {
        buffer += line
        buffer += "\n"
        if buffer.utf8.count >= 1 << 16 { flush() }
    }

    private func flush() {
        handle.write(Data(buffer.utf8))
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flush()
        try handle.close()
    }
}
