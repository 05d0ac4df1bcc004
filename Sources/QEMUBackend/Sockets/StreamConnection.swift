import Glibc

/// One non-blocking unix stream connection with an output buffer: writes never block the run
/// loop; what the peer does not take yet waits here and goes when the socket is writable.
final class StreamConnection {
    let label: String
    private(set) var fd: Int32
    private var pending: [UInt8] = []
    private var pendingStart = 0
    private(set) var bytesRead: UInt64 = 0
    private(set) var bytesWritten: UInt64 = 0
    private var buffer = [UInt8](repeating: 0, count: 65_536)

    init(fd: Int32, label: String) {
        self.fd = fd
        self.label = label
    }

    deinit { close() }

    /// One connection attempt to a listening socket; nil while nobody listens there yet.
    static func connect(path: String, label: String) throws(BackendSocketError) -> StreamConnection? {
        let fd = try UnixSocketAddress.socket(SOCK_STREAM)
        let result = try UnixSocketAddress.withAddress(path) { Glibc.connect(fd, $0, $1) }
        if result != 0 {
            let error = errno
            // EINPROGRESS does not happen for unix sockets; EAGAIN means a full backlog.
            Glibc.close(fd)
            if error == ENOENT || error == ECONNREFUSED || error == EAGAIN { return nil }
            throw .call("connect", errno: error, path: path)
        }
        return StreamConnection(fd: fd, label: label)
    }

    var isOpen: Bool { fd >= 0 }
    var hasPendingOutput: Bool { pendingStart < pending.count }

    enum ReadResult {
        case bytes(ArraySlice<UInt8>)
        case nothing
        case closed
    }

    func read() -> ReadResult {
        guard fd >= 0 else { return .closed }
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            bytesRead += UInt64(count)
            return .bytes(buffer[0..<count])
        }
        if count == 0 { return .closed }
        let error = errno
        if error == EAGAIN || error == EWOULDBLOCK || error == EINTR { return .nothing }
        return .closed
    }

    /// Queues `bytes` behind what is pending and writes as much as the socket takes.
    func write<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        guard fd >= 0 else { return }
        pending.append(contentsOf: bytes)
        flush()
    }

    /// Writes pending bytes while the socket takes them; false when the peer is gone.
    @discardableResult
    func flush() -> Bool {
        while fd >= 0, pendingStart < pending.count {
            let count = pending.withUnsafeBytes { raw in
                send(fd, raw.baseAddress! + pendingStart, pending.count - pendingStart, Int32(MSG_NOSIGNAL))
            }
            if count > 0 {
                pendingStart += count
                bytesWritten += UInt64(count)
                continue
            }
            let error = errno
            if count < 0 && (error == EAGAIN || error == EWOULDBLOCK || error == EINTR) { break }
            close()
            return false
        }
        if pendingStart == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
        }
        return fd >= 0
    }

    func close() {
        guard fd >= 0 else { return }
        Glibc.close(fd)
        fd = -1
        pending.removeAll()
        pendingStart = 0
    }
}

/// A listening unix stream socket at a path Lockstep owns.
final class StreamListener {
    let path: String
    private(set) var fd: Int32

    init(path: String) throws(BackendSocketError) {
        self.path = path
        fd = try UnixSocketAddress.socket(SOCK_STREAM)
        try UnixSocketAddress.bind(fd, path: path)
        guard listen(fd, 4) == 0 else {
            let error = errno
            Glibc.close(fd)
            throw .call("listen", errno: error, path: path)
        }
    }

    deinit { close() }

    /// A waiting connection, made non-blocking, or nil.
    func accept(label: String) -> StreamConnection? {
        guard fd >= 0 else { return nil }
        let client = Glibc.accept(fd, nil, nil)
        guard client >= 0 else { return nil }
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
        return StreamConnection(fd: client, label: label)
    }

    func close() {
        guard fd >= 0 else { return }
        Glibc.close(fd)
        fd = -1
        unlink(path)
    }
}
