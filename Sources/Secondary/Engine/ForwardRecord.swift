import Fabric

/// Why a frame left the rewriter unchanged.
public enum UnchangedReason: Sendable, Hashable {
    /// RW-2: not parseable (P-1); the frame continues untouched.
    case unparseable(COLOUnparseableReason)
    /// RW-2: parseable IPv4 but not TCP.
    case notTCP(ipProtocol: UInt8)
    /// RW-4: failover mode and the key has no entry.
    case failoverUntracked
    /// RW-12: handled, but SYN is set or ACK clear, so seq/ack are never rewritten.
    case notAckClass
    /// RW-9.2 / RW-11.3: handled, ACK-class, but the connection's offset is zero.
    case offsetZero

    public var token: String {
        switch self {
        case .unparseable: "unparseable"
        case .notTCP: "not_tcp"
        case .failoverUntracked: "failover_untracked"
        case .notAckClass: "not_ack_class"
        case .offsetZero: "offset_zero"
        }
    }

    /// Extra detail for reports: the failed P-1 check, or the IP protocol.
    public var detail: String? {
        switch self {
        case .unparseable(let why): why.token
        case .notTCP(let proto): IPProtocolNumber.name(proto)
        default: nil
        }
    }
}

/// A sequence-space field the rewriter changed.
public enum RewrittenField: String, Sendable, Hashable {
    case seq
    case ack
}

/// One field rewrite: which field, from what to what, with which offset (mod 2^32).
public struct FieldRewrite: Sendable, Hashable {
    public var field: RewrittenField
    public var from: UInt32
    public var to: UInt32
    public var offset: UInt32

    public init(field: RewrittenField, from: UInt32, to: UInt32, offset: UInt32) {
        self.field = field
        self.from = from
        self.to = to
        self.offset = offset
    }
}

/// A SACK block translated by the corrected profile.
public struct SACKRewrite: Sendable, Hashable {
    public var from: TCPOption.SACKBlock
    public var to: TCPOption.SACKBlock

    public init(from: TCPOption.SACKBlock, to: TCPOption.SACKBlock) {
        self.from = from
        self.to = to
    }
}

/// Why RW-13 left the checksum alone.
public enum ChecksumSkipReason: String, Sendable, Hashable {
    /// Less than an Ethernet header after the vnet header.
    case frameTooShort = "frame_too_short"
    /// Less than 20 bytes after the L2 header.
    case noIPHeader = "no_ip_header"
    /// The IP version nibble is not 4.
    case notIPv4 = "not_ipv4"
    /// MF set or a non-zero fragment offset.
    case fragment
    /// The frame is shorter than the IP total length.
    case truncated
    /// IP total length − 4·IHL is below a TCP header (and not negative, or the profile is fixed).
    case tcpTooShort = "tcp_too_short"
    /// Corrected placement only: IHL below 5, so there is no place for a TCP header.
    case badHeaderLength = "bad_header_length"
}

/// What RW-13 did after a rewrite.
public enum ChecksumOutcome: Sendable, Hashable {
    /// The checksum was computed and stored at `fieldOffset` (a byte offset into the frame).
    /// `misplaced` is true when that is not where the real TCP checksum field is (RW-13 quirk
    /// with IP options). `coveredBytesPastFrame` is true when the summed range ran past the
    /// end of the frame (bytes there read as zero; QEMU reads whatever follows in memory).
    case written(fieldOffset: Int, previous: UInt16, value: UInt16, misplaced: Bool, coveredBytesPastFrame: Bool)
    case skipped(ChecksumSkipReason)

    public var token: String {
        switch self {
        case .written(_, _, _, let misplaced, _): misplaced ? "misplaced" : "written"
        case .skipped: "skipped"
        }
    }
}

/// How the rewriter disposed of a frame (RW-5).
public enum RewriterHandling: String, Sendable, Hashable {
    /// The hook returned 0: the original frame continues along the walk unchanged.
    case passed
    /// The hook returned 1: the original is stolen and a (possibly rewritten) copy is sent
    /// through the private queue, continuing after the rewriter.
    case stolen
}

/// The frame-level decision: every frame yields exactly one.
public struct ForwardRecord: Sendable, Hashable {
    public var side: RewriterSide
    public var handling: RewriterHandling
    /// The table key (oriented guest → remote), when the frame was TCP.
    public var key: ConnectionKey?
    /// Set when nothing was rewritten.
    public var unchangedReason: UnchangedReason?
    /// Set when seq or ack was rewritten.
    public var rewrite: FieldRewrite?
    /// SACK blocks translated (corrected profile only); empty otherwise.
    public var sackRewrites: [SACKRewrite]
    /// RW-13 outcome, set exactly when something was rewritten.
    public var checksum: ChecksumOutcome?

    public init(
        side: RewriterSide, handling: RewriterHandling, key: ConnectionKey? = nil,
        unchangedReason: UnchangedReason? = nil, rewrite: FieldRewrite? = nil,
        sackRewrites: [SACKRewrite] = [], checksum: ChecksumOutcome? = nil
    ) {
        self.side = side
        self.handling = handling
        self.key = key
        self.unchangedReason = unchangedReason
        self.rewrite = rewrite
        self.sackRewrites = sackRewrites
        self.checksum = checksum
    }
}
