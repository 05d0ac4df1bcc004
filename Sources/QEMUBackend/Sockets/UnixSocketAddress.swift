import Glibc

/// A filesystem path as a `sockaddr_un`, for every unix socket the backend opens.
enum UnixSocketAddress {
    /// sun_path capacity including the terminating NUL.
    static let pathLimit = 108

    static func withAddress<R>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) throws(BackendSocketError) -> R {
        let bytes = Array(path.utf8)
        guard bytes.count < pathLimit else { throw .pathTooLong(path) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    /// A non-blocking, close-on-exec socket (a QEMU started later must not inherit our ends).
    static func socket(_ type: __socket_type) throws(BackendSocketError) -> Int32 {
        let fd = Glibc.socket(AF_UNIX, Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw .call("socket", errno: errno, path: "") }
        return fd
    }

    static func bind(_ fd: Int32, path: String) throws(BackendSocketError) {
        unlink(path)
        let result = try withAddress(path) { Glibc.bind(fd, $0, $1) }
        if result != 0 {
            let error = errno
            close(fd)
            throw .call("bind", errno: error, path: path)
        }
    }
}

/// A socket call that failed, with the path it concerned.
enum BackendSocketError: Error, CustomStringConvertible {
    case pathTooLong(String)
    case call(String, errno: Int32, path: String)

    var description: String {
        switch self {
        case .pathTooLong(let path): "unix socket path \(path) is longer than \(UnixSocketAddress.pathLimit - 1) bytes"
        case let .call(name, code, path): "\(name)(\(path)) failed: \(String(cString: strerror(code)))"
        }
    }
}
