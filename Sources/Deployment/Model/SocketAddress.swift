/// Where a socket chardev listens or connects. A client reaches a server when the port numbers
/// agree and the server listens where the client dials (see `SocketAddress+Resolution`).
public enum SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// `host=H,port=P`. The port stays text because QEMU accepts service names too.
    case inet(host: String, port: String)
    /// `path=P`: a unix socket.
    case unix(path: String)
    /// `fd=N`: an inherited descriptor; it pairs with nothing the model can see. A socket
    /// chardev with no address at all is one too, with an empty descriptor (QEMU 7.2 starts such
    /// a server listening on nothing, `disconnected:fd:`).
    case fd(String)

    public var description: String {
        switch self {
        case .inet(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path): path
        case .fd(let fd): fd.isEmpty ? "no address" : "fd \(fd)"
        }
    }

    /// True for the IPv4/IPv6 loopback names.
    public var isLoopback: Bool {
        guard let destination else { return false }
        return destination == "::1" || destination.hasPrefix("127.")
    }

    /// True when a server with this address accepts connections for any local address.
    public var isWildcard: Bool {
        switch listener {
        case .anyAddress, .anyIPv4: true
        default: false
        }
    }

    /// The port number, when it resolves (nil for unix and fd addresses, or an unknown service).
    public var portNumber: Int? {
        guard case .inet(_, let port) = self else { return nil }
        return Self.portNumber(port)
    }

    /// Whether a client connecting to `self` reaches a server listening on `server`. A server
    /// on port 0 listens on a port the kernel picks, which no client can name.
    public func reaches(server: SocketAddress) -> Bool {
        switch (self, server) {
        case (.inet, .inet):
            guard let port = portNumber, port != 0, port == server.portNumber,
                  let destination, !destination.isEmpty, let listener = server.listener
            else { return false }
            switch listener {
            case .anyAddress: return true
            case .anyIPv4: return !Self.isIPv6Literal(destination)
            case .address(let bound): return bound == destination
            }
        case (.unix(let path), .unix(let serverPath)):
            return path == serverPath
        default:
            return false
        }
    }

    /// Whether two servers claim the same listening address: the second bind fails for TCP
    /// (a wildcard overlaps every address of its family); two unix servers on one path both
    /// start, the later one taking the path over.
    public func overlaps(server other: SocketAddress) -> Bool {
        switch (self, other) {
        case (.inet, .inet):
            guard let port = portNumber, port != 0, port == other.portNumber,
                  let mine = listener, let theirs = other.listener else { return false }
            switch (mine, theirs) {
            case (.anyAddress, _), (_, .anyAddress): return true
            case (.anyIPv4, .anyIPv4): return true
            case (.anyIPv4, .address(let bound)), (.address(let bound), .anyIPv4): return !Self.isIPv6Literal(bound)
            case (.address(let a), .address(let b)): return a == b
            }
        case (.unix(let path), .unix(let otherPath)):
            return path == otherPath
        default:
            return false
        }
    }
}
