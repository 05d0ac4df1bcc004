import Glibc

/// Reads a whole input file (a scenario, a replay file, a fuzz result) with a size bound, so
/// that `/dev/zero`, a huge file or a directory gets a one-line error instead of filling memory
/// or surfacing a Foundation error. Pipes and devices are read as streams up to the bound.
public enum InputFile {
    public enum ReadError: Error, Sendable, Hashable, CustomStringConvertible {
        case cannotOpen(path: String, reason: String)
        case isDirectory(path: String)
        case tooLarge(path: String, limit: Int)
        case readFailed(path: String, reason: String)

        public var path: String {
            switch self {
            case .cannotOpen(let path, _), .isDirectory(let path), .tooLarge(let path, _), .readFailed(let path, _): path
            }
        }

        /// What is wrong, without the path (callers put the path where their format wants it).
        public var reason: String {
            switch self {
            case .cannotOpen(_, let reason): reason
            case .isDirectory: "it is a directory"
            case .tooLarge(_, let limit): "it is larger than \(limit / (1 << 20)) MiB"
            case .readFailed(_, let reason): reason
            }
        }

        public var description: String { "cannot read '\(path)': \(reason)" }
    }

    /// 16 MiB: far more than any scenario, replay or result file, far less than memory.
    public static let defaultLimit = 16 << 20

    public static func bytes(_ path: String, limit: Int = defaultLimit) throws(ReadError) -> [UInt8] {
        guard !path.isEmpty else { throw .cannotOpen(path: path, reason: "the path is empty") }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR { throw .isDirectory(path: path) }
        // Opened non-blocking so that a FIFO without a writer does not stop the open; reads block.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > limit { throw .tooLarge(path: path, limit: limit) }
        }
    }

    /// The file as UTF-8 text; nil bytes count as text, invalid sequences are an error.
    public static func text(_ path: String, limit: Int = defaultLimit) throws(ReadError) -> String {
        let data = try bytes(path, limit: limit)
        guard let text = String(validating: data, as: UTF8.self) else {
            throw .readFailed(path: path, reason: "it is not UTF-8 text")
        }
        return text
    }
}
