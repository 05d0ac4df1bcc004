/// The part of a socket chardev the COLO path depends on.
public struct SocketChardevOptions: Sendable, Hashable {
    public var address: SocketAddress
    /// `server=on`: listen instead of connecting.
    public var server: Bool
    /// For a server: block QEMU's start-up until a client connects (QEMU's default when `wait`
    /// is not given). Always false for a client, where QEMU refuses the option.
    public var wait: Bool
    /// A client's `reconnect=` in seconds: retry instead of failing when nobody listens.
    public var reconnectSeconds: UInt64?
    /// A client's `reconnect-ms=` (QEMU 9.2 and newer).
    public var reconnectMilliseconds: UInt64?
    /// Other socket options (`nodelay=`, `telnet=` ...), in the order written.
    public var options: [QEMUKeyValue]

    public init(
        address: SocketAddress,
        server: Bool,
        wait: Bool = false,
        reconnectSeconds: UInt64? = nil,
        reconnectMilliseconds: UInt64? = nil,
        options: [QEMUKeyValue] = []
    ) {
        self.address = address
        self.server = server
        self.wait = server && wait
        self.reconnectSeconds = reconnectSeconds
        self.reconnectMilliseconds = reconnectMilliseconds
        self.options = options
    }

    /// A client that keeps retrying, so it may start before its server. QEMU keeps the period
    /// in a signed 64-bit number and retries only when it is positive: `reconnect=-1` (which
    /// its option parser wraps to 2^64-1) means no retry.
    public var reconnects: Bool {
        !server && (Int64(bitPattern: reconnectSeconds ?? 0) > 0 || Int64(bitPattern: reconnectMilliseconds ?? 0) > 0)
    }

    /// `websocket=on`: the server speaks the websocket protocol, which a plain client does not.
    public var isWebsocket: Bool {
        options.value(for: "websocket").flatMap(ValueParsing.bool) ?? false
    }

    /// A listening server that does not block start-up.
    public static func server(_ address: SocketAddress, wait: Bool = false) -> SocketChardevOptions {
        SocketChardevOptions(address: address, server: true, wait: wait)
    }

    /// A connecting client, optionally retrying every `reconnect` seconds.
    public static func client(_ address: SocketAddress, reconnect: UInt64? = nil) -> SocketChardevOptions {
        SocketChardevOptions(address: address, server: false, reconnectSeconds: reconnect)
    }
}

/// The backend of a `-chardev`.
public enum ChardevBackend: Sendable, Hashable {
    case socket(SocketChardevOptions)
    /// Any other backend (`file`, `pty`, `stdio` ...) with its options, kept for export.
    case other(kind: String, options: [QEMUKeyValue])

    /// The backend name as written after `-chardev`.
    public var kindName: String {
        switch self {
        case .socket: "socket"
        case .other(let kind, _): kind
        }
    }
}

/// One `-chardev`.
public struct ChardevConfiguration: Sendable, Hashable {
    public var id: String
    public var backend: ChardevBackend

    public init(id: String, backend: ChardevBackend) {
        self.id = id
        self.backend = backend
    }

    public static func socket(_ id: String, _ options: SocketChardevOptions) -> ChardevConfiguration {
        ChardevConfiguration(id: id, backend: .socket(options))
    }

    public var socket: SocketChardevOptions? {
        if case .socket(let options) = backend { options } else { nil }
    }

    /// colo-compare needs a chardev that can reconnect and run in its iothread's context (C-1.4);
    /// among chardev backends only sockets offer both.
    public var supportsCompare: Bool { socket != nil }
}
