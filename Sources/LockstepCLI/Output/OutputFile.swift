import Glibc

/// A file a command writes (`--trace`, `--svg`, `--html`, `--replay-out`): a regular file, or a
/// new one, is written beside the target and renamed over it once complete, so a failed run
/// leaves the old file whole; anything else (a device such as /dev/null, a FIFO, a symlink) is
/// written in place and never replaced. Every failure is one line naming the path.
final class OutputFile {
    struct Failure: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot write '\(path)': \(reason)" }
    }

    let path: String
    private let fd: Int32
    /// Set when the target is renamed into place at `close()`.
    private let temporaryPath: String?
    private var failure: Failure?
    private var closed = false

    init(path: String) throws(Failure) {
        self.path = path
        guard !path.isEmpty else { throw Failure(path: path, reason: "the path is empty") }
        var link = stat()
        let exists = lstat(path, &link) == 0
        var target = stat()
        if exists && stat(path, &target) == 0 && (target.st_mode & S_IFMT) == S_IFDIR {
            throw Failure(path: path, reason: "it is a directory")
        }
        if exists && (link.st_mode & S_IFMT) != S_IFREG {
            // A device, FIFO or symlink: write through it, never rename over it.
            temporaryPath = nil
            fd = open(path, O_WRONLY | O_CLOEXEC | (Self.isRegular(target) ? O_TRUNC : 0))
        } else {
            let temporary = Self.temporaryName(for: path)
            temporaryPath = temporary
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else { throw Failure(path: path, reason: Self.reason(errno, path: path)) }
    }

    deinit {
        if !closed {
            Glibc.close(fd)
            if let temporaryPath { unlink(temporaryPath) }
        }
    }

    /// Appends bytes; after the first failure nothing more is written and `close()` reports it.
    func write(_ bytes: some Collection<UInt8>) {
        guard failure == nil, !closed else { return }
        var remaining = Array(bytes)[...]
        while !remaining.isEmpty {
            let count = remaining.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                failure = Failure(path: path, reason: String(cString: strerror(errno)))
                return
            }
            remaining = remaining.dropFirst(count)
        }
    }

    func write(_ text: String) {
        write(text.utf8)
    }

    /// Completes the file: renames it into place, or reports the first failure (and removes
    /// the partial copy, leaving any earlier file as it was).
    func close() throws(Failure) {
        guard !closed else { return }
        closed = true
        if Glibc.close(fd) != 0 && failure == nil {
            failure = Failure(path: path, reason: String(cString: strerror(errno)))
        }
        if let failure {
            if let temporaryPath { unlink(temporaryPath) }
            throw failure
        }
        if let temporaryPath, rename(temporaryPath, path) != 0 {
            let code = errno
            unlink(temporaryPath)
            throw Failure(path: path, reason: String(cString: strerror(code)))
        }
    }

    /// Writes `text` as the whole file.
    static func write(_ text: String, to path: String) throws(Failure) {
        let file = try OutputFile(path: path)
        file.write(text)
        try file.close()
    }

    static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        let file = try OutputFile(path: path)
        file.write(bytes)
        try file.close()
    }

    private static func isRegular(_ info: stat) -> Bool {
        (info.st_mode & S_IFMT) == S_IFREG
    }

    /// `.NAME.lockstep-PID.tmp` in the target's folder, so the rename stays on one file system.
    private static func temporaryName(for path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return "\(folder).\(name).lockstep-\(getpid()).tmp"
    }

    private static func reason(_ code: Int32, path: String) -> String {
        let text = String(cString: strerror(code))
        return code == ENOENT ? "\(text) (its folder does not exist)" : text
    }
}
