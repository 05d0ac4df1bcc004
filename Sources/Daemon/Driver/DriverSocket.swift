import Glibc

/// Failures of the driver side (benchmark, tests): a system call, or a wait that ran out.
public enum DriverError: Error, Sendable, CustomStringConvertible {
    case system(SystemCallError)
    case timedOut(String)
    case closed(String)

    public var description: String {
        switch self {
        case .system(let error): error.description
        case .timedOut(let what): "timed out waiting for \(what)"
        case .closed(let what): "\(what): the peer closed the connection"
        }
    }
}

/// A connection the driver holds to a compare process (or accepted from it): non-blocking,
/// with waits bounded by a timeout.
public final class DriverSocket {
    public private(set) var fd: Int32
    public let label: String

    init(fd: Int32, label: String) {
        self.fd = fd
        self.label = label
    }

    deinit { close() }

    /// Connects, retrying while nobody listens yet (the process is starting).
    public static func connect(to address: ServeSocketAddress, label: String, retryForMs: Int = 10_000) throws(DriverError) -> DriverSocket {
        let deadline = MonotonicClock.nanoseconds() + Int64(retryForMs) * 1_000_000
        while true {
            do {
                switch try PosixSocket.connect(to: address) {
                case .connected(let fd):
                    return DriverSocket(fd: fd, label: label)
                case .inProgress(let fd):
                    var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&entry, 1, Int32(retryForMs))
                    if PosixSocket.finishConnect(fd, target: label) == nil { return DriverSocket(fd: fd, label: label) }
                    Glibc.close(fd)
                }
            } catch {
                guard [ENOENT, ECONNREFUSED, EAGAIN].contains(error.code) else { throw .system(error) }
            }
            if MonotonicClock.nanoseconds() >= deadline { throw .timedOut("\(label) to accept connections") }
            usleep(5_000)
        }
    }

    /// Writes what the socket takes now.
    public func sendSome(_ bytes: UnsafeRawBufferPointer) throws(DriverError) -> Int {
        let count = Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
        if count >= 0 { return count }
        let code = errno
        if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return 0 }
        throw .system(SystemCallError("send", target: label, code: code))
    }

    /// Writes everything, waiting for room up to `timeoutMs`.
    public func sendAll(_ bytes: [UInt8], timeoutMs: Int = 10_000) throws(DriverError) {
        let deadline = MonotonicClock.nanoseconds() + Int64(timeoutMs) * 1_000_000
        var offset = 0
        while offset < bytes.count {
            let result = bytes[offset...].withUnsafeBytes { raw in Result { () throws(DriverError) in try sendSome(raw) } }
            let sent = try result.get()
            offset += sent
            if sent == 0 {
                if MonotonicClock.nanoseconds() >= deadline { throw .timedOut("\(label) to take \(bytes.count) bytes") }
                var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&entry, 1, 10)
            }
        }
    }

    public enum Received {
        case bytes(Int)
        case wouldBlock
        case closed
    }

    /// Reads what is there into `buffer`.
    public func receiveSome(into buffer: UnsafeMutableRawBufferPointer) throws(DriverError) -> Received {
        let count = recv(fd, buffer.baseAddress, buffer.count, 0)
        if count > 0 { return .bytes(count) }
        let code = errno
        if count == 0 || code == ECONNRESET { return .closed }
        if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return .wouldBlock }
        throw .system(SystemCallError("recv", target: label, code: code))
    }

    /// Waits up to `timeoutMs` for bytes; returns them (empty on timeout), nil once closed.
    public func receive(timeoutMs: Int, maximum: Int = 1 << 16) throws(DriverError) -> [UInt8]? {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        _ = poll(&entry, 1, Int32(timeoutMs))
        var buffer = [UInt8](repeating: 0, count: maximum)
        let result = buffer.withUnsafeMutableBytes { raw in Result { () throws(DriverError) in try receiveSome(into: raw) } }
        let outcome = try result.get()
        switch outcome {
        case .bytes(let count): return Array(buffer[0..<count])
        case .wouldBlock: return []
        case .closed: return nil
        }
    }

    /// Bytes sent that the peer has not read yet (SIOCOUTQ).
    public var unreadOutgoingBytes: Int { PosixSocket.unreadOutgoingBytes(fd) }

    public func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }
}

/// A listening socket the driver serves, for compare chardevs in client mode.
public final class DriverListener {
    public let fd: Int32
    public let address: ServeSocketAddress

    public init(address: ServeSocketAddress) throws(DriverError) {
        self.address = address
        do {
            switch address {
            case .unix(let path): fd = try PosixSocket.listenUnix(path: path)
            case .inet(let host, let port): fd = try PosixSocket.listenInet(host: host, port: port)
            }
        } catch {
            throw .system(error)
        }
    }

    deinit {
        Glibc.close(fd)
        if case .unix(let path) = address { unlink(path) }
    }

    public func accept(label: String, timeoutMs: Int = 10_000) throws(DriverError) -> DriverSocket {
        let deadline = MonotonicClock.nanoseconds() + Int64(timeoutMs) * 1_000_000
        while true {
            if let fd = PosixSocket.accept(fd) { return DriverSocket(fd: fd, label: label) }
            let left = (deadline - MonotonicClock.nanoseconds()) / 1_000_000
            if left <= 0 { throw .timedOut("a connection on \(address) (\(label))") }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&entry, 1, Int32(clamping: left))
        }
    }
}
