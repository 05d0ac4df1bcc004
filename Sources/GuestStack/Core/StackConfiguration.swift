import Fabric

/// Everything that fixes how one stack instance behaves. Fields that can make two guests
/// diverge are the named knobs listed in ``DivergenceSource``'s documentation.
public struct StackConfiguration: Sendable, Hashable {
    /// Names the stack in choice-point labels ("primary", "secondary", "client").
    public var name: String
    public var mac: MACAddress
    public var address: IPv4Address
    public var prefixLength: Int = 24
    /// Next hop for destinations outside the prefix; nil means every destination is on-link.
    public var gateway: IPv4Address?
    public var mtu: Int = 1500
    /// Zero bytes put in front of every frame sent, and skipped on frames received.
    public var vnetHeaderLength: Int = 0
    public var ttl: UInt8 = 64
    public var ipIdentification: IPIdentificationPolicy = .sequential(start: 1)
    public var arp = ARPConfiguration()
    public var tcp = TCPConfiguration()
    /// Whether ICMP echo requests are answered by the stack at once, or handed to an
    /// application (``PingResponder``) that can delay or alter the reply.
    public var echoReplies: EchoReplyMode = .stack
    /// Answer datagrams to unbound UDP ports with ICMP port unreachable (RFC 1122 §4.1.3.1).
    public var udpPortUnreachable = true
    public var ephemeralPorts: EphemeralPortPolicy = .sequential(first: 49_152)

    public init(name: String, mac: MACAddress, address: IPv4Address) {
        self.name = name
        self.mac = mac
        self.address = address
    }
}

/// How the IPv4 identification field is filled.
public enum IPIdentificationPolicy: Sendable, Hashable {
    /// One counter for all datagrams, starting at `start`.
    case sequential(start: UInt16)
    /// A fresh draw per datagram (choice point `ipIdentification:<name> ip-id`).
    case random
    /// Zero, with DF set (what Linux does for small DF datagrams).
    case zeroWithDontFragment
}

public enum EchoReplyMode: Sendable, Hashable {
    case stack
    case application
}

public enum EphemeralPortPolicy: Sendable, Hashable {
    case sequential(first: UInt16)
    /// A draw in 49152...65535 per connection (choice point `other:<name> ephemeral-port`).
    case random
}

public struct ARPConfiguration: Sendable, Hashable {
    /// How long a learnt entry is used before it is re-probed.
    public var reachableTime: VirtualDuration = .seconds(30)
    public var retransmitInterval: VirtualDuration = .seconds(1)
    /// Requests sent for one address before its queued datagrams are dropped.
    public var maximumRequests = 3
    /// Datagrams held per unresolved address; older ones are dropped beyond this.
    public var queueLimit = 3
    /// Entries that never expire and are never probed.
    public var staticEntries: [StaticARPEntry] = []

    public init() {}
}

public struct StaticARPEntry: Sendable, Hashable {
    public var address: IPv4Address
    public var mac: MACAddress
    public init(address: IPv4Address, mac: MACAddress) {
        self.address = address
        self.mac = mac
    }
}

public struct TCPConfiguration: Sendable, Hashable {
    /// The MSS advertised; nil means MTU − 40.
    public var maximumSegmentSize: UInt16?
    public var receiveBufferSize = 65_535
    public var sendBufferSize = 262_144
    public var timestamps = true
    public var sackPermitted = true
    public var delayedAck = DelayedAckConfiguration()
    public var nagle = true
    /// RFC 6298 parameters.
    public var initialRTO: VirtualDuration = .seconds(1)
    public var minimumRTO: VirtualDuration = .seconds(1)
    public var maximumRTO: VirtualDuration = .seconds(60)
    public var clockGranularity: VirtualDuration = .milliseconds(1)
    /// Data retransmissions after which the connection is aborted.
    public var maximumRetransmissions = 12
    public var synRetransmissions = 6
    public var duplicateAckThreshold = 3
    public var initialWindowSegments = 10
    public var congestionControl: CongestionControl = .newReno
    public var timeWait: VirtualDuration = .seconds(1)
    public var initialSequenceNumber: InitialSequencePolicy = .chosen
    public var timestampOffset: TimestampOffsetPolicy = .zero
    public var listenBacklog = 128

    public init() {}
}

public struct DelayedAckConfiguration: Sendable, Hashable {
    public var enabled = true
    public var timeout: VirtualDuration = .milliseconds(40)
    /// Acknowledge at once when this many full-sized segments are unacknowledged.
    public var segments = 2

    public init(enabled: Bool = true, timeout: VirtualDuration = .milliseconds(40), segments: Int = 2) {
        self.enabled = enabled
        self.timeout = timeout
        self.segments = segments
    }
}

public enum CongestionControl: Sendable, Hashable {
    /// Slow start, congestion avoidance, fast retransmit and NewReno fast recovery (RFC 5681, 6582).
    case newReno
    /// The window is the peer's receive window alone.
    case none
}

public enum InitialSequencePolicy: Sendable, Hashable {
    /// A draw per connection (choice point `initialSequenceNumber:<name> isn`).
    case chosen
    /// The same number for every connection (lets two guests agree without a checkpoint).
    case fixed(UInt32)
}

public enum TimestampOffsetPolicy: Sendable, Hashable {
    /// TSval is the stack's virtual clock in milliseconds.
    case zero
    /// A per-connection offset is drawn, as Linux randomises it (choice point `other:<name> ts-offset`).
    case chosen
}
