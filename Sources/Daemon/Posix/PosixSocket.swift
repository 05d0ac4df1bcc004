import Glibc

/// Thin wrappers over the socket calls the daemon needs. Every descriptor is non-blocking and
/// close-on-exec; errors come back as `SystemCallError`s naming the address.
enum PosixSocket {
    static let streamType = Int32(SOCK_STREAM.rawValue)
    static let flags = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    /// sun_path capacity including its terminating NUL.
    static let unixPathLimit = 108

    // MARK: Listening

    /// A unix listener. Like QEMU, a stale socket file at `path` is removed first.
    static func listenUnix(path: String) throws(SystemCallError) -> Int32 {
        var address = try unixAddress(path)
        let fd = socket(AF_UNIX, streamType | flags, 0)
        guard fd >= 0 else { throw SystemCallError("socket", target: path, code: errno) }
        unlink(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw closing(fd, SystemCallError("bind", target: path, code: errno)) }
        // One pending connection, as QEMU's socket chardev listens.
        guard listen(fd, 1) == 0 else { throw closing(fd, SystemCallError("listen", target: path, code: errno)) }
        return fd
    }

    /// What is at `path` when it is something other than a socket ("regular file", ...), nil
    /// when nothing or a stale socket is there.
    static func nonSocketFile(at path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        // A directory is not removed: the bind then fails with its own error.
        case S_IFSOCK, S_IFDIR: return nil
        case S_IFREG: return "regular file"
        case S_IFLNK: return "symbolic link"
        case S_IFIFO: return "FIFO"
        default: return "special file"
        }
    }

    /// A TCP listener on the first address of `host` that binds (QEMU's order), SO_REUSEADDR.
    static func listenInet(host: String, port: String) throws(SystemCallError) -> Int32 {
        let target = "\(host):\(port)"
        var lastError = SystemCallError("bind", target: target, reason: "no address")
        let fd = try withAddresses(host: host, port: port, passive: true) { info -> Int32? in
            let fd = socket(info.ai_family, streamType | flags, info.ai_protocol)
            guard fd >= 0 else {
                lastError = SystemCallError("socket", target: target, code: errno)
                return nil
            }
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            guard bind(fd, info.ai_addr, info.ai_addrlen) == 0 else {
                lastError = closing(fd, SystemCallError("bind", target: target, code: errno))
                return nil
            }
            guard listen(fd, 1) == 0 else {
                lastError = closing(fd, SystemCallError("listen", target: target, code: errno))
                return nil
            }
            return fd
        }
        guard let fd else { throw lastError }
        return fd
    }

    /// The next pending connection, or nil when there is none (or it vanished).
    static func accept(_ listener: Int32) -> Int32? {
        let fd = Glibc.accept(listener, nil, nil)
        guard fd >= 0 else { return nil }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return fd
    }

    // MARK: Connecting

    enum ConnectOutcome {
        case connected(Int32)
        /// Non-blocking connect under way: wait for POLLOUT, then `finishConnect`.
        case inProgress(Int32)
    }

    static func connect(to address: ServeSocketAddress) throws(SystemCallError) -> ConnectOutcome {
        switch address {
        case .unix(let path):
            var socketAddress = try unixAddress(path)
            let fd = socket(AF_UNIX, streamType | flags, 0)
            guard fd >= 0 else { throw SystemCallError("socket", target: path, code: errno) }
            let result = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            return try outcome(result, fd: fd, target: path)
        case .inet(let host, let port):
            let target = "\(host):\(port)"
            var lastError = SystemCallError("connect", target: target, reason: "no address")
            let found = try withAddresses(host: host.isEmpty ? "localhost" : host, port: port, passive: false) { info -> ConnectOutcome? in
                let fd = socket(info.ai_family, streamType | flags, info.ai_protocol)
                guard fd >= 0 else {
                    lastError = SystemCallError("socket", target: target, code: errno)
                    return nil
                }
                do throws(SystemCallError) {
                    return try outcome(Glibc.connect(fd, info.ai_addr, info.ai_addrlen), fd: fd, target: target)
                } catch {
                    lastError = error
                    return nil
                }
            }
            guard let found else { throw lastError }
            return found
        }
    }

    /// The result of a non-blocking connect once the socket is writable: nil if connected.
    static func finishConnect(_ fd: Int32, target: String) -> SystemCallError? {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else {
            return SystemCallError("connect", target: target, code: errno)
        }
        return error == 0 ? nil : SystemCallError("connect", target: target, code: error)
    }

    private static func outcome(_ result: Int32, fd: Int32, target: String) throws(SystemCallError) -> ConnectOutcome {
        if result == 0 { return .connected(fd) }
        let code = errno
        if code == EINPROGRESS { return .inProgress(fd) }
        throw closing(fd, SystemCallError("connect", target: target, code: code))
    }

    // MARK: Options and helpers

    static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Bytes we sent that the peer has not read yet (SIOCOUTQ).
    static func unreadOutgoingBytes(_ fd: Int32) -> Int {
        var amount: Int32 = 0
        let siocoutq: UInt = 0x5411
        return ioctl(fd, siocoutq, &amount) == 0 ? Int(amount) : 0
    }

    static func unixAddress(_ path: String) throws(SystemCallError) -> sockaddr_un {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count < unixPathLimit else {
            throw SystemCallError("bind", target: path, reason: "a unix socket path must have 1 to \(unixPathLimit - 1) bytes")
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
            raw[bytes.count] = 0
        }
        return address
    }

    private static func closing(_ fd: Int32, _ error: SystemCallError) -> SystemCallError {
        close(fd)
        return error
    }

    /// Runs `body` on each resolved address until it returns a value.
    private static func withAddresses<Result>(
        host: String, port: String, passive: Bool, _ body: (addrinfo) throws(SystemCallError) -> Result?
    ) throws(SystemCallError) -> Result? {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = streamType
        hints.ai_flags = passive ? AI_PASSIVE : 0
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host.isEmpty ? nil : host, port, &hints, &list)
        guard status == 0 else {
            throw SystemCallError("resolve", target: "\(host):\(port)", reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        var cursor = list
        while let entry = cursor {
            if let result = try body(entry.pointee) { return result }
            cursor = entry.pointee.ai_next
        }
        return nil
    }
}
