import Fabric

/// RFC 793 connection states.
public enum TCPState: String, Sendable, Hashable {
    case synSent = "SYN-SENT"
    case synReceived = "SYN-RECEIVED"
    case established = "ESTABLISHED"
    case finWait1 = "FIN-WAIT-1"
    case finWait2 = "FIN-WAIT-2"
    case closeWait = "CLOSE-WAIT"
    case closing = "CLOSING"
    case lastAck = "LAST-ACK"
    case timeWait = "TIME-WAIT"
    case closed = "CLOSED"

    /// States in which the connection is synchronized (RFC 793 §3.4).
    var isSynchronized: Bool {
        switch self {
        case .synSent, .closed: false
        default: true
        }
    }

    /// States in which data from the peer is still accepted.
    var acceptsData: Bool {
        self == .established || self == .finWait1 || self == .finWait2
    }

    /// States in which our own data and FIN may be (re)sent.
    var sendsData: Bool {
        switch self {
        case .established, .closeWait, .finWait1, .closing, .lastAck: true
        default: false
        }
    }
}

/// Why a connection ended abnormally.
public enum TCPConnectionError: String, Sendable, Hashable {
    /// The peer answered our SYN with RST.
    case refused
    /// The peer reset an established connection.
    case reset
    /// Retransmissions ran out.
    case timedOut
    /// This side aborted it.
    case aborted
}

/// A socket as seen by an application.
public struct SocketHandle: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "socket \(rawValue)" }
}

/// What an application can learn about a TCP socket.
public struct TCPSocketStatus: Sendable, Hashable {
    public var state: TCPState
    public var localAddress: IPv4Address
    public var localPort: UInt16
    public var remoteAddress: IPv4Address
    public var remotePort: UInt16
    /// Bytes ready to read.
    public var readable: Int
    /// Bytes the send buffer can still take.
    public var sendSpace: Int
    /// Bytes written but not yet acknowledged by the peer.
    public var unacknowledged: Int
    /// The peer has sent FIN and every byte before it has been read.
    public var endOfStream: Bool
    public var error: TCPConnectionError?

    /// Established at least once and able to carry data this way.
    public var isConnected: Bool { state != .synSent && state != .synReceived && state != .closed }
}

public enum StackSocketError: Error, Sendable, Hashable {
    case portInUse(UInt16)
    case noSuchSocket(SocketHandle)
    case noEphemeralPort
    case connectionClosed(SocketHandle)
}
