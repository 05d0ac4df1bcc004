/// Where a socket chardev listens or connects. Two chardevs pair when their addresses are equal
/// (or the server listens on a wildcard host and the ports match).
public enum SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// `host=H,port=P`. The port stays text because QEMU accepts service names too.
    case inet(host: String, port: String)
    /// `path=P`: a unix socket.
    case unix(path: String)
    /// `fd=N`: an inherited descriptor; it pairs with nothing the model can see.
    case fd(String)

    public var description: String {
        switch self {
        case .inet(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path): path
        case .fd(let fd): "fd \(fd)"
        }
    }

    /// True for the IPv4/IPv6 loopback names.
    public var isLoopback: Bool {
        guard case .inet(let host, _) = self else { return false }
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// True when a server with this address accepts connections for any host name.
    public var isWildcard: Bool {
        guard case .inet(let host, _) = self else { return false }
        return host.isEmpty || host == "0.0.0.0" || host == "::"
    }

    /// Whether a client connecting to `self` reaches a server listening on `server`.
    public func reaches(server: SocketAddress) -> Bool {
        switch (self, server) {
        case (.inet(let host, let port), .inet(let serverHost, let serverPort)):
            port == serverPort && (host == serverHost || server.isWildcard)
        case (.unix(let path), .unix(let serverPath)):
            path == serverPath
        default:
            false
        }
    }
}
