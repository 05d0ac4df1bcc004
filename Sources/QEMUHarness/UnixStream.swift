import Glibc

/// A non-blocking client connection to one of QEMU's unix-socket chardevs.
final class UnixStream {
    /// sun_path capacity including the terminating NUL.
    static let pathLimit = 108

    let path: String
    let label: String
    private(set) var fd: Int32

    private init(fd: Int32, path: String, label: String) {
        self.fd = fd
        self.path = path
        self.label = label
    }

    deinit { close() }

    static func checkPathLength(_ path: String) throws(OracleError) {
        if path.utf8.count >= pathLimit { throw .socketPathTooLong(path: path, limit: pathLimit - 1) }
    }

    /// One connection attempt; nil when QEMU has not created or is not yet listening on the socket.
    static func tryConnect(path: String, label: String) throws(OracleError) -> UnixStream? {
        try checkPathLength(path)
        // CLOEXEC: QEMUs started later (tests run in parallel) must not inherit our ends.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .systemCall(operation: "socket", errno: errno, detail: label) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if result != 0 {
            let error = errno
            _ = Glibc.close(fd)
            if error == ENOENT || error == ECONNREFUSED || error == EAGAIN { return nil }
            throw .systemCall(operation: "connect \(path)", errno: error, detail: label)
        }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        return UnixStream(fd: fd, path: path, label: label)
    }

    enum ReadResult {
        case bytes([UInt8])
        case wouldBlock
        case closed
    }

    func readAvailable() throws(OracleError) -> ReadResult {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 { return .bytes(Array(buffer[0..<count])) }
        let error = errno
        // A peer that exits with unread data resets the connection instead of closing it.
        if count == 0 || error == ECONNRESET { return .closed }
        if error == EAGAIN || error == EWOULDBLOCK || error == EINTR { return .wouldBlock }
        throw .systemCall(operation: "recv", errno: error, detail: label)
    }

    /// Writes as much as the socket takes now; returns the number of bytes written.
    /// MSG_NOSIGNAL: a dead QEMU must surface as an error, not kill the test process with SIGPIPE.
    func writeSome(_ bytes: ArraySlice<UInt8>) throws(OracleError) -> Int {
        let count = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if count >= 0 { return count }
        let error = errno
        if error == EAGAIN || error == EWOULDBLOCK || error == EINTR { return 0 }
        throw .systemCall(operation: "send", errno: error, detail: label)
    }

    /// Bytes we sent that QEMU has not read yet (SIOCOUTQ). Zero means QEMU's chardev has
    /// consumed everything, which on a unix stream socket happens inside the same event-loop
    /// callback that processes the records.
    func unreadOutgoingBytes() throws(OracleError) -> Int {
        var amount: Int32 = 0
        let siocoutq: UInt = 0x5411
        let result = ioctl(fd, siocoutq, &amount)
        if result != 0 { throw .systemCall(operation: "ioctl(SIOCOUTQ)", errno: errno, detail: label) }
        return Int(amount)
    }

    func close() {
        if fd >= 0 {
            _ = Glibc.close(fd)
            fd = -1
        }
    }
}
