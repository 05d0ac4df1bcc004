import Foundation

/// A QMP client on QEMU's unix monitor socket: connect, read the greeting, run commands. Every
/// wait has a deadline, so a QEMU that blocks cannot hang the test.
final class QMPConnection {
    private let fd: Int32
    private var pending: [UInt8] = []

    private init(fd: Int32) {
        self.fd = fd
    }

    deinit { close(fd) }

    /// Connects once; nil while nothing listens on `path` yet.
    static func connect(path: String) -> QMPConnection? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            return nil
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let status = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, length) }
        }
        guard status == 0 else {
            close(fd)
            return nil
        }
        return QMPConnection(fd: fd)
    }

    /// The next line, or nil when `deadline` passes or QEMU closes the socket.
    func readLine(until deadline: ContinuousClock.Instant) -> String? {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeFirst(newline + 1)
                return line
            }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return nil }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(max(1, min(1000, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)))
            guard poll(&poller, 1, milliseconds) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = read(fd, &buffer, buffer.count)
            guard count > 0 else { return nil }
            pending.append(contentsOf: buffer[0..<count])
        }
    }

    private var greeted = false
    private var ready = false

    /// Waits for the greeting and negotiates capabilities; false if that is not done by
    /// `deadline`. It can be called again: what was read so far is kept.
    func handshake(until deadline: ContinuousClock.Instant) -> Bool {
        if ready { return true }
        while let line = readLine(until: deadline) {
            if line.contains("\"QMP\"") {
                greeted = true
                guard send("qmp_capabilities") else { return false }
            } else if greeted, line.contains("\"return\"") {
                ready = true
                return true
            }
        }
        return false
    }

    private func send(_ command: String) -> Bool {
        let request = Array("{\"execute\":\"\(command)\"}\n".utf8)
        let written = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        return written == request.count
    }

    /// Runs a command and returns its reply line (events skipped), nil on timeout or error.
    func execute(_ command: String, until deadline: ContinuousClock.Instant) -> String? {
        guard send(command) else { return nil }
        while let line = readLine(until: deadline) {
            if line.contains("\"return\"") { return line }
            if line.contains("\"error\"") { return nil }
        }
        return nil
    }
}
