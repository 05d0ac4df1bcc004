import Glibc
import Logging

/// One socket chardev with QEMU's connection behaviour:
/// - a server listens from start-up and serves one connection at a time: while connected it
///   accepts nobody (later clients wait in the backlog), after a disconnect it accepts again;
/// - a client without `reconnect` connects once at start-up (failure stops start-up) and stays
///   disconnected once the peer goes;
/// - a client with `reconnect` connects in the background and retries every period after a
///   failed attempt or a lost connection, reporting the first failure only.
/// What a frontend does with the bytes is not its business (readers keep their state across
/// reconnects, W-9).
final class LiveChardev {
    let spec: ServeChardevSpec
    var frontend: ChardevFrontend = .unused
    /// Bind an empty TCP host to every address, as QEMU does, instead of loopback.
    let listenAnyAddress: Bool
    private(set) var listener: Int32 = -1
    private(set) var connection: Int32 = -1
    /// A non-blocking connect is under way on `connection`.
    private(set) var connecting = false
    private(set) var reconnectAtMs: Int64?
    private var connectErrorReported = false
    private(set) var connections: UInt64 = 0
    private(set) var disconnections: UInt64 = 0

    init(spec: ServeChardevSpec, listenAnyAddress: Bool) {
        self.spec = spec
        self.listenAnyAddress = listenAnyAddress
    }

    var isConnected: Bool { connection >= 0 && !connecting }
    /// A server with no connection takes the next client.
    var isAccepting: Bool { listener >= 0 && connection < 0 }
    var name: String { "chardev '\(spec.id)'" }
    /// `query-chardev`'s filename: QEMU prefixes `disconnected:` while nobody is connected.
    var queryFilename: String { isConnected ? spec.filename : "disconnected:" + spec.filename }

    private var listenAddress: ServeSocketAddress {
        if case .inet(let host, let port) = spec.address, host.isEmpty, !listenAnyAddress {
            return .inet(host: "127.0.0.1", port: port)
        }
        return spec.address
    }

    // MARK: Start-up

    /// Listens (server) or makes the first connection attempt (client), as QEMU does when it
    /// creates the chardev. A server with `wait` is then waited for by the daemon.
    func open(nowMs: Int64, logger: Logger) throws(ServeError) {
        if spec.server {
            do {
                switch listenAddress {
                case .unix(let path):
                    if let kind = PosixSocket.nonSocketFile(at: path) {
                        // QEMU 7.2 removes whatever is at the path too; at least the log says so.
                        logger.warning("\(name): replacing the \(kind) at \(path) with the socket (QEMU 7.2 does the same)")
                    }
                    listener = try PosixSocket.listenUnix(path: path)
                case .inet(let host, let port): listener = try PosixSocket.listenInet(host: host, port: port)
                }
            } catch {
                throw .chardevOpen(chardev: spec.id, detail: "cannot listen on \(listenAddress): \(error)")
            }
            logger.debug("\(name): listening on \(listenAddress)")
        } else if spec.reconnectMs == nil {
            try connectNow(logger: logger)
        } else {
            startConnect(nowMs: nowMs, logger: logger)
        }
    }

    /// A client without reconnect: the connection must succeed now.
    private func connectNow(logger: Logger) throws(ServeError) {
        do throws(SystemCallError) {
            switch try PosixSocket.connect(to: spec.address) {
            case .connected(let fd):
                adopt(fd, logger: logger)
            case .inProgress(let fd):
                var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                while poll(&entry, 1, -1) < 0 && errno == EINTR {}
                if let error = PosixSocket.finishConnect(fd, target: "\(spec.address)") {
                    close(fd)
                    throw error
                }
                adopt(fd, logger: logger)
            }
        } catch {
            throw .chardevOpen(chardev: spec.id, detail: "Failed to connect to '\(spec.address)': \(error.reason)")
        }
    }

    // MARK: Connection events

    /// Takes a pending client (server only). Returns whether one was accepted.
    func acceptPending(logger: Logger) -> Bool {
        guard isAccepting, let fd = PosixSocket.accept(listener) else { return false }
        adopt(fd, logger: logger)
        return true
    }

    /// One background connection attempt (client with reconnect).
    func startConnect(nowMs: Int64, logger: Logger) {
        guard connection < 0 else { return }
        reconnectAtMs = nil
        do {
            switch try PosixSocket.connect(to: spec.address) {
            case .connected(let fd): adopt(fd, logger: logger)
            case .inProgress(let fd):
                connection = fd
                connecting = true
            }
        } catch {
            connectFailed(error, nowMs: nowMs, logger: logger)
        }
    }

    /// The pending connect finished (the socket polled writable or in error).
    /// Returns whether the chardev is now connected.
    func finishConnect(nowMs: Int64, logger: Logger) -> Bool {
        guard connecting else { return isConnected }
        let fd = connection
        connection = -1
        connecting = false
        if let error = PosixSocket.finishConnect(fd, target: "\(spec.address)") {
            close(fd)
            connectFailed(error, nowMs: nowMs, logger: logger)
            return false
        }
        adopt(fd, logger: logger)
        return true
    }

    /// Starts an attempt when the reconnect timer is due. Returns whether it connected at once.
    func reconnectIfDue(nowMs: Int64, logger: Logger) -> Bool {
        guard let due = reconnectAtMs, due <= nowMs else { return false }
        startConnect(nowMs: nowMs, logger: logger)
        return isConnected
    }

    /// The peer went away or the connection failed: close it; a server accepts again, a
    /// reconnecting client retries after its period.
    func dropConnection(nowMs: Int64, logger: Logger, reason: String) {
        guard connection >= 0 else { return }
        close(connection)
        connection = -1
        connecting = false
        disconnections += 1
        if let period = spec.reconnectMs {
            reconnectAtMs = nowMs + Int64(clamping: period)
            logger.info("\(name) (\(frontend.roleName)): disconnected (\(reason)); reconnecting in \(period) ms")
        } else if spec.server {
            logger.info("\(name) (\(frontend.roleName)): disconnected (\(reason)); accepting a new connection")
        } else {
            logger.warning("\(name) (\(frontend.roleName)): disconnected (\(reason)); a client without reconnect stays disconnected")
        }
    }

    /// Closes everything; removes a unix listener's socket file.
    func shutDown() {
        if connection >= 0 { close(connection) }
        connection = -1
        if listener >= 0 {
            close(listener)
            listener = -1
            if case .unix(let path) = listenAddress { unlink(path) }
        }
    }

    private func adopt(_ fd: Int32, logger: Logger) {
        connection = fd
        connecting = false
        reconnectAtMs = nil
        connectErrorReported = false
        connections += 1
        if spec.noDelay, case .inet = spec.address { PosixSocket.setNoDelay(fd) }
        logger.info("\(name) (\(frontend.roleName)): connected")
    }

    private func connectFailed(_ error: SystemCallError, nowMs: Int64, logger: Logger) {
        if !connectErrorReported {
            logger.error("Unable to connect character device \(spec.id): \(error.reason)")
            connectErrorReported = true
        }
        if let period = spec.reconnectMs { reconnectAtMs = nowMs + Int64(clamping: period) }
    }
}
