import Glibc

/// Reads a command-line file with the C library (the subcommands that read QEMU command lines,
/// lint and figure, share it). A file is read to at most `limit` bytes — /dev/zero and
/// /dev/urandom end in a clear error, not an exhausted memory — and must be UTF-8 text without
/// NUL bytes, since an argument cannot hold one.
enum TextFile {
    /// Linux limits a process's arguments together to 2 MiB (ARG_MAX with the usual 8 MiB stack):
    /// a larger file cannot be a command line QEMU could be given.
    static let limit = 2 * 1024 * 1024

    struct ReadError: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot read \(path): \(reason)" }
    }

    static func read(_ path: String) throws -> String {
        guard let file = fopen(path, "rb") else {
            throw ReadError(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count > 0 { bytes.append(contentsOf: buffer[0..<count]) }
            if bytes.count > limit {
                throw ReadError(path: path, reason: "it holds more than \(limit / 1024 / 1024) MiB, more than a QEMU command line can be (Linux limits all arguments together to 2 MiB)")
            }
            if count < buffer.count {
                if ferror(file) != 0 {
                    throw ReadError(path: path, reason: "read error")
                }
                break
            }
        }
        return try text(of: bytes, path: path)
    }

    /// The bytes as text, refusing a NUL byte or invalid UTF-8 with the line and column.
    static func text(of bytes: [UInt8], path: String) throws -> String {
        if let nul = bytes.firstIndex(of: 0) {
            throw ReadError(path: path, reason: "\(position(of: nul, in: bytes)) holds a NUL byte: this is binary data, not a command line")
        }
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        var text = String.UnicodeScalarView()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                text.append(scalar)
                offset += UTF8.width(scalar)
            case .emptyInput:
                break loop
            case .error:
                throw ReadError(path: path, reason: "\(position(of: offset, in: bytes)) is not UTF-8 text")
            }
        }
        return String(text)
    }

    /// `line L, column C` of a byte offset.
    private static func position(of offset: Int, in bytes: [UInt8]) -> String {
        let before = bytes[..<offset]
        let line = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
        let column = offset - (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
        return "line \(line), column \(column)"
    }
}
