import Primary

/// Where a socket chardev listens or connects.
public enum ServeSocketAddress: Sendable, Hashable, CustomStringConvertible {
    case unix(path: String)
    /// The port stays text: QEMU accepts service names too.
    case inet(host: String, port: String)

    public var description: String {
        switch self {
        case .unix(let path): "unix:\(path)"
        case .inet(let host, let port): host.contains(":") ? "tcp:[\(host)]:\(port)" : "tcp:\(host):\(port)"
        }
    }
}

/// One `-chardev socket` (or the chardev a `-qmp` option creates), as the daemon opens it.
public struct ServeChardevSpec: Sendable, Hashable {
    public var id: String
    public var address: ServeSocketAddress
    /// `server=on`: listen and accept one connection at a time.
    public var server: Bool
    /// A server that blocks start-up until its first client connects (QEMU's default).
    public var wait: Bool
    /// A client's reconnect period: retry a failed or lost connection after this long. nil: a
    /// client connects once, at start-up, and start-up fails if nobody listens.
    public var reconnectMs: UInt64?
    /// `nodelay=on`: TCP_NODELAY on the connection.
    public var noDelay: Bool

    public init(id: String, address: ServeSocketAddress, server: Bool, wait: Bool = false,
                reconnectMs: UInt64? = nil, noDelay: Bool = false) {
        self.id = id
        self.address = address
        self.server = server
        self.wait = server && wait
        self.reconnectMs = server ? nil : reconnectMs.flatMap { $0 == 0 ? nil : $0 }
        self.noDelay = noDelay
    }

    /// QEMU's `query-chardev` filename, without the `disconnected:` prefix.
    public var filename: String {
        server ? "\(address),server=on" : "\(address)"
    }
}

/// One `-object colo-compare`, its properties as QEMU's setters left them.
public struct ServeCompareSpec: Sendable, Hashable {
    public var id: String
    public var properties: COLOCompareProperties

    public init(id: String, properties: COLOCompareProperties) {
        self.id = id
        self.properties = properties
    }
}

/// What a standalone-compare command line asks for: chardevs in command-line order (QEMU opens
/// them in that order, before any object), compares in creation order, QMP monitors.
public struct ServeConfiguration: Sendable, Hashable {
    public var chardevs: [ServeChardevSpec]
    public var compares: [ServeCompareSpec]
    /// Ids of the chardevs that carry a QMP monitor (`-qmp`, `-mon mode=control`).
    public var monitors: [String]
    public var iothreads: [String]
    /// `-pidfile`.
    public var pidfile: String?
    /// Options accepted and ignored (`-M none`, `-nodefaults` ...), for the start-up log.
    public var ignoredOptions: [String]

    public init(chardevs: [ServeChardevSpec] = [], compares: [ServeCompareSpec] = [], monitors: [String] = [],
                iothreads: [String] = [], pidfile: String? = nil, ignoredOptions: [String] = []) {
        self.chardevs = chardevs
        self.compares = compares
        self.monitors = monitors
        self.iothreads = iothreads
        self.pidfile = pidfile
        self.ignoredOptions = ignoredOptions
    }

    public func chardev(_ id: String) -> ServeChardevSpec? {
        chardevs.first { $0.id == id }
    }
}
