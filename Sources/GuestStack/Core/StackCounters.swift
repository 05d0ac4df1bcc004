/// Why a stack dropped an inbound frame (or an outbound datagram it could not send).
public enum StackDropReason: Int, Error, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case runtFrame
    case notForUs
    case unknownEtherType
    case malformedARP
    case malformedIPv4
    case badIPv4Checksum
    case ipFragment
    case unsupportedProtocol
    case truncatedTransport
    case badTCPChecksum
    case badTCPDataOffset
    case badTCPOptions
    case badUDPChecksum
    case badUDPLength
    case badICMPChecksum
    case unhandledICMP
    case tcpNoConnection
    case tcpOutOfWindow
    case tcpBacklogFull
    case tcpUnexpected
    case udpNoSocket
    case udpQueueFull
    case arpQueueOverflow
    case arpUnresolved

    public var description: String {
        switch self {
        case .runtFrame: "runt frame"
        case .notForUs: "not addressed to this stack"
        case .unknownEtherType: "unknown ethertype"
        case .malformedARP: "malformed ARP"
        case .malformedIPv4: "malformed IPv4 header"
        case .badIPv4Checksum: "bad IPv4 header checksum"
        case .ipFragment: "IPv4 fragment (not reassembled)"
        case .unsupportedProtocol: "unsupported IP protocol"
        case .truncatedTransport: "transport header truncated"
        case .badTCPChecksum: "bad TCP checksum"
        case .badTCPDataOffset: "bad TCP data offset"
        case .badTCPOptions: "truncated or malformed TCP options"
        case .badUDPChecksum: "bad UDP checksum"
        case .badUDPLength: "bad UDP length"
        case .badICMPChecksum: "bad ICMP checksum"
        case .unhandledICMP: "ICMP type not handled"
        case .tcpNoConnection: "TCP segment for no connection"
        case .tcpOutOfWindow: "TCP segment outside the window"
        case .tcpBacklogFull: "SYN dropped: listen backlog full"
        case .tcpUnexpected: "TCP segment not acceptable in this state"
        case .udpNoSocket: "UDP datagram for an unbound port"
        case .udpQueueFull: "UDP receive queue full"
        case .arpQueueOverflow: "datagram pushed out of the ARP queue"
        case .arpUnresolved: "datagram dropped: address never resolved"
        }
    }
}

/// What one stack has done, for reports and invariants.
public struct StackCounters: Sendable, Hashable {
    public var framesReceived = 0
    public var framesSent = 0
    public var tcpSegmentsReceived = 0
    public var tcpSegmentsSent = 0
    public var tcpDataSegmentsSent = 0
    public var tcpPayloadBytesSent = 0
    public var tcpPayloadBytesReceived = 0
    /// Segments sent again (RTO, fast retransmit, NewReno partial ack), SYN and FIN included.
    public var tcpRetransmissions = 0
    public var tcpFastRetransmits = 0
    public var tcpTimeouts = 0
    public var tcpDuplicateSegmentsReceived = 0
    public var tcpOutOfOrderSegmentsReceived = 0
    public var tcpResetsSent = 0
    public var tcpResetsReceived = 0
    public var tcpWindowProbes = 0
    public var arpRequestsSent = 0
    public var arpRepliesSent = 0
    public var udpDatagramsSent = 0
    public var udpDatagramsReceived = 0
    public var icmpEchoRequestsReceived = 0
    public var icmpEchoRepliesSent = 0
    /// Drops by reason, indexed by ``StackDropReason/rawValue``.
    public private(set) var drops = [Int](repeating: 0, count: StackDropReason.allCases.count)

    public init() {}

    public subscript(drop reason: StackDropReason) -> Int {
        get { drops[reason.rawValue] }
        set { drops[reason.rawValue] = newValue }
    }

    public var totalDrops: Int { drops.reduce(0, +) }

    /// Non-zero drop counts in reason order.
    public var dropSummary: [(reason: StackDropReason, count: Int)] {
        StackDropReason.allCases.compactMap { reason in
            drops[reason.rawValue] > 0 ? (reason, drops[reason.rawValue]) : nil
        }
    }
}
