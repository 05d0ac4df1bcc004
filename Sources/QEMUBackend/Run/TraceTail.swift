import Glibc
import Fabric

/// Follows a QEMU's stderr file and hands over its trace lines (the `log` trace backend writes
/// `PID@SECONDS.MICROSECONDS:event arguments`, timestamped with the realtime clock).
final class TraceTail {
    struct Line: Sendable, Hashable {
        /// When QEMU wrote it, on the run's time line.
        var time: VirtualTime
        var event: String
        var arguments: String
    }

    private let path: String
    private var fd: Int32 = -1
    private var partial: [UInt8] = []
    private var buffer = [UInt8](repeating: 0, count: 65_536)
    /// Lines that are not trace lines (QEMU's error and warning messages).
    private(set) var messages: [String] = []

    init(path: String) {
        self.path = path
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Trace lines written since the last call, in file order.
    func newLines(clock: WallClock) -> [Line] {
        if fd < 0 { fd = open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { return [] }
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            partial.append(contentsOf: buffer[0..<count])
        }
        var lines: [Line] = []
        while let newline = partial.firstIndex(of: UInt8(ascii: "\n")) {
            let text = String(decoding: partial[..<newline], as: UTF8.self)
            partial.removeFirst(newline + 1)
            if let line = Self.parse(text, clock: clock) {
                lines.append(line)
            } else if !text.isEmpty {
                messages.append(text)
            }
        }
        return lines
    }

    static func parse(_ text: String, clock: WallClock) -> Line? {
        guard let at = text.firstIndex(of: "@"), text[..<at].allSatisfy(\.isNumber), !text[..<at].isEmpty,
              let colon = text[at...].firstIndex(of: ":") else { return nil }
        let stamp = text[text.index(after: at)..<colon].split(separator: ".")
        guard stamp.count == 2, let seconds = Int64(stamp[0]), let micros = Int64(stamp[1]) else { return nil }
        let rest = text[text.index(after: colon)...]
        let name = rest.prefix { $0 != " " }
        let arguments = rest.dropFirst(name.count).drop { $0 == " " }
        return Line(time: clock.runTime(realtimeNanoseconds: seconds * 1_000_000_000 + micros * 1_000),
                    event: String(name), arguments: String(arguments))
    }
}
