import Glibc
import Fabric
import Primary

/// The rendering of `lockstep compare`'s reports, reused for the daemon's decision log.
public enum DecisionLogFormat: String, Sendable, Hashable, CaseIterable {
    case text, json
}

/// Writes every compare decision, rendered by `CompareTextReport` / `CompareJSONReport`, to a
/// file or stdout. Lines are buffered and written at the end of each loop step (and whenever
/// the buffer grows large), with blocking writes: a log file never drops a line while it can be
/// written. A write that fails (a full disk) loses that buffer; the loss is counted and the
/// daemon logs it (`takeNewFailure`), it never passes unnoticed.
final class DecisionLog {
    let format: DecisionLogFormat
    let path: String
    /// Buffers that could not be written, and the bytes they held.
    private(set) var failedWrites = 0
    private(set) var bytesLost = 0
    private(set) var lastFailure: String?
    private var failureReported = false
    private let fd: Int32
    private let ownsDescriptor: Bool
    /// With several compares, each line names its compare.
    private let namesCompare: Bool
    private var buffer: [UInt8] = []
    private static let flushThreshold = 1 << 16

    init(path: String, format: DecisionLogFormat, namesCompare: Bool) throws(SystemCallError) {
        if path == "-" {
            fd = STDOUT_FILENO
            ownsDescriptor = false
            self.path = "stdout"
        } else {
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw SystemCallError("open", target: path, code: errno) }
            ownsDescriptor = true
            self.path = path
        }
        self.format = format
        self.namesCompare = namesCompare
    }

    deinit {
        flush()
        if ownsDescriptor { close(fd) }
    }

    func record(_ event: CompareDecision, compare: String, timeUs: Int64) {
        switch format {
        case .json:
            var line = CompareJSONReport.line(for: event, at: timeUs)
            if namesCompare { line = "{\"compare\":\(JSONLineWriter.quote(compare))," + line.dropFirst() }
            append(line)
        case .text:
            for line in CompareTextReport.describe(event, at: timeUs, primary: [], secondary: []) {
                append(namesCompare ? "[\(compare)] " + line : line)
            }
        }
    }

    /// A line that is not a decision (a `counters` object, a start or stop note).
    func note(_ line: String) {
        append(line)
    }

    func flush() {
        var offset = 0
        while offset < buffer.count {
            let written = buffer[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written > 0 {
                offset += written
            } else if written < 0 && (errno == EINTR || errno == EAGAIN) {
                continue
            } else {
                failedWrites += 1
                bytesLost += buffer.count - offset
                lastFailure = written < 0 ? String(cString: strerror(errno)) : "nothing written"
                failureReported = false
                break
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// A failure not yet reported, as one line for the daemon's log; nil when there is none.
    func takeNewFailure() -> String? {
        guard let lastFailure, !failureReported else { return nil }
        failureReported = true
        return "decision log \(path): write failed (\(lastFailure)); \(failedWrites) write(s) failed so far, \(bytesLost) bytes lost"
    }

    private func append(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= Self.flushThreshold { flush() }
    }
}
