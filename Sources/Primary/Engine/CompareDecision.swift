import Fabric

/// Which input a record came from. Records are numbered per side from 0 in arrival order.
public enum CompareSide: String, Sendable, Hashable {
    case primary, secondary
}

/// One explained decision of the compare. Every record that enters the compare ends in exactly
/// one `release` or `drop` (or is still queued); checkpoint requests and flushes explain why.
public enum CompareDecision: Sendable, Hashable {
    /// A primary record was handed to the output channel.
    case release(CompareRelease)
    /// A record was thrown away.
    case drop(CompareDrop)
    /// The compare asked for a checkpoint (C-18).
    indirect case checkpointRequest(CompareCheckpointRequest)
    /// A flush starts (C-20): every queued primary is released, every secondary dropped.
    case flush(FlushCause)
    /// A record arrived on notify_dev (C-26).
    case notifyReceived(NotifyMessage)

    /// The stable short token naming the event kind in JSON.
    public var token: String {
        switch self {
        case .release: "release"
        case .drop: "drop"
        case .checkpointRequest: "checkpoint_request"
        case .flush: "checkpoint"
        case .notifyReceived: "notify"
        }
    }
}

// MARK: - Release

public struct CompareRelease: Sendable, Hashable {
    public var primaryIndex: Int
    /// Nil for unparseable records, which have no connection.
    public var connection: ConnectionKey?
    public var reason: ReleaseReason

    public init(primaryIndex: Int, connection: ConnectionKey?, reason: ReleaseReason) {
        self.primaryIndex = primaryIndex
        self.connection = connection
        self.reason = reason
    }
}

public enum ReleaseReason: Sendable, Hashable {
    /// Compared equal. `secondaryIndex` is the secondary packet that completed the match; for
    /// TCP, earlier secondaries covering the start of this packet were dropped as `.compared`.
    case matched(secondaryIndex: Int, how: MatchKind)
    /// Not parseable (P-1): forwarded at once, never compared (C-3).
    case unparseable(COLOUnparseableReason)
    /// TCP data at or below compare_seq: a retransmission of data already compared (C-10).
    case retransmission(seqEnd: UInt32, compareSeq: UInt32)
    /// A TCP packet without payload (pure ACK, SYN, FIN…), released once any secondary packet
    /// of its connection is queued (C-10, C-13).
    case noPayload(flags: UInt8)
    /// Released by a flush (C-20) for a checkpoint or a notify_dev COLO_CHECKPOINT.
    case checkpointFlush
    /// Released by the flush of a deleted compare (C-28).
    case deletionFlush

    public var token: String {
        switch self {
        case .matched: "matched"
        case .unparseable: "unparseable"
        case .retransmission: "retransmission"
        case .noPayload: "no_payload"
        case .checkpointFlush: "checkpoint_flush"
        case .deletionFlush: "deletion_flush"
        }
    }
}

public enum MatchKind: String, Sendable, Hashable {
    /// TCP C-11.1: same sequence range, identical payload.
    case sameSegment = "same_segment"
    /// TCP C-11.2: the rest of the primary payload equals the secondary's bytes at its offset,
    /// and the ack gate allowed the release.
    case coveredBySecondary = "covered"
    /// UDP, ICMP, other (C-15..C-17): the compared bytes are identical.
    case identicalPacket = "identical"
}

// MARK: - Drop

public struct CompareDrop: Sendable, Hashable {
    public var side: CompareSide
    public var index: Int
    public var connection: ConnectionKey?
    public var reason: CompareDropReason

    public init(side: CompareSide, index: Int, connection: ConnectionKey?, reason: CompareDropReason) {
        self.side = side
        self.index = index
        self.connection = connection
        self.reason = reason
    }
}

public enum CompareDropReason: Sendable, Hashable {
    /// C-6: the target queue already held more than max_queue_size packets.
    case queueFull(queueLength: Int, maxQueueSize: UInt32)
    /// P-5: the connection table was cleared; its connections died with their packets.
    case tableReset
    /// A secondary packet consumed by a comparison with `primaryIndex` (a match, or for TCP
    /// the part of a longer primary it covered, C-11.3).
    case compared(primaryIndex: Int)
    /// A secondary TCP packet without payload (C-10, C-13).
    case noPayload
    /// A secondary TCP packet whose data ends at or below compare_seq (C-10).
    case retransmission(seqEnd: UInt32, compareSeq: UInt32)
    /// A secondary record that is not parseable (C-4).
    case unparseable(COLOUnparseableReason)
    /// A secondary packet discarded by a flush (C-20).
    case checkpointFlush
    /// A secondary packet discarded by the flush of a deleted compare (C-28).
    case deletionFlush
    /// A zero-length primary record: unparseable, and the zero-byte send is refused (W-4).
    case emptyRecord
    /// A released primary record lost because a write on outdev failed (C-25).
    case writeFailed
    /// A record handed to a compare that was already deleted (it no longer reads, C-28).
    case compareDeleted

    public var token: String {
        switch self {
        case .queueFull: "queue_full"
        case .tableReset: "table_reset"
        case .compared: "compared"
        case .noPayload: "no_payload"
        case .retransmission: "retransmission"
        case .unparseable: "unparseable"
        case .checkpointFlush: "checkpoint_flush"
        case .deletionFlush: "deletion_flush"
        case .emptyRecord: "empty_record"
        case .writeFailed: "write_failed"
        case .compareDeleted: "compare_deleted"
        }
    }
}

// MARK: - Checkpoint requests

public struct CompareCheckpointRequest: Sendable, Hashable {
    public var connection: ConnectionKey
    public var reason: CheckpointReason
    /// How the request left the compare (C-18).
    public var delivery: CheckpointDelivery

    public init(connection: ConnectionKey, reason: CheckpointReason, delivery: CheckpointDelivery) {
        self.connection = connection
        self.reason = reason
        self.delivery = delivery
    }
}

public enum CheckpointDelivery: String, Sendable, Hashable {
    /// Registered listeners (the COLO framework) were notified.
    case local
    /// `DO_CHECKPOINT` was sent on notify_dev (Xen COLO).
    case notifyDev = "notify_dev"
}

public enum CheckpointReason: Sendable, Hashable {
    /// TCP payloads differ (C-11), or under a corrected profile cannot be compared.
    case payloadMismatch(TCPMismatch)
    /// TCP payloads match but the secondary has not acknowledged as far (C-11.2).
    case ackGate(AckGateHold)
    /// No secondary packet equals the primary (C-14).
    case noMatch(NonTCPMismatch)
    /// A queued packet is older than compare_timeout (C-19).
    case timeout(PacketTimeout)

    public var token: String {
        switch self {
        case .payloadMismatch: "payload_mismatch"
        case .ackGate: "ack_gate"
        case .noMatch: "no_match"
        case .timeout: "timeout"
        }
    }
}

/// The first byte where two compared ranges differ.
public struct ByteDifference: Sendable, Hashable {
    /// Position within the compared range.
    public var index: Int
    /// Offsets of that byte in the primary and secondary frames.
    public var primaryFrameOffset: Int
    public var secondaryFrameOffset: Int
    /// The two bytes; nil where the comparison ran past that frame (QEMU read heap memory).
    public var primaryByte: UInt8?
    public var secondaryByte: UInt8?

    public init(index: Int, primaryFrameOffset: Int, secondaryFrameOffset: Int, primaryByte: UInt8?, secondaryByte: UInt8?) {
        self.index = index
        self.primaryFrameOffset = primaryFrameOffset
        self.secondaryFrameOffset = secondaryFrameOffset
        self.primaryByte = primaryByte
        self.secondaryByte = secondaryByte
    }
}

/// Which branch of C-11 judged the pair.
public enum TCPJudgeRule: String, Sendable, Hashable {
    /// Rule 1 matched: same range, same payload.
    case sameSegment = "same_segment"
    /// Rule 2: the primary ends no later than the secondary.
    case primaryEndsFirst = "primary_ends_first"
    /// Rule 3: the primary extends beyond the secondary.
    case primaryExtends = "primary_extends"
}

public struct TCPMismatch: Sendable, Hashable {
    public enum Detail: String, Sendable, Hashable {
        /// The compared bytes differ.
        case bytesDiffer = "bytes_differ"
        /// A compared range lies outside a frame (corrected profile only, C-11 note).
        case outOfRange = "out_of_range"
        /// The remainders start at different stream positions (corrected profile only).
        case misaligned
    }

    public var primaryIndex: Int
    public var secondaryIndex: Int
    public var rule: TCPJudgeRule
    public var detail: Detail
    public var primarySeq: UInt32
    public var primarySeqEnd: UInt32
    /// Payload bytes of the packet already matched before this comparison.
    public var primaryOffset: Int
    public var secondarySeq: UInt32
    public var secondarySeqEnd: UInt32
    public var secondaryOffset: Int
    /// Bytes the comparison covered.
    public var comparedLength: Int
    /// The first differing byte (nil when the detail is not `bytesDiffer`).
    public var difference: ByteDifference?

    /// Stream position (primary sequence space) of the first differing byte.
    public var differingSequence: UInt32? {
        guard let difference else { return nil }
        let start = rule == .sameSegment ? primarySeq : primarySeq &+ UInt32(truncatingIfNeeded: primaryOffset)
        return start &+ UInt32(truncatingIfNeeded: difference.index)
    }

    public init(primaryIndex: Int, secondaryIndex: Int, rule: TCPJudgeRule, detail: Detail,
                primarySeq: UInt32, primarySeqEnd: UInt32, primaryOffset: Int,
                secondarySeq: UInt32, secondarySeqEnd: UInt32, secondaryOffset: Int,
                comparedLength: Int, difference: ByteDifference?) {
        self.primaryIndex = primaryIndex
        self.secondaryIndex = secondaryIndex
        self.rule = rule
        self.detail = detail
        self.primarySeq = primarySeq
        self.primarySeqEnd = primarySeqEnd
        self.primaryOffset = primaryOffset
        self.secondarySeq = secondarySeq
        self.secondarySeqEnd = secondarySeqEnd
        self.secondaryOffset = secondaryOffset
        self.comparedLength = comparedLength
        self.difference = difference
    }
}

public struct AckGateHold: Sendable, Hashable {
    public var primaryIndex: Int
    public var secondaryIndex: Int
    public var primaryAck: UInt32
    /// min(pack, sack) as computed on entry to the comparison (C-9).
    public var gate: UInt32
    public var primaryMaxAck: UInt32
    public var secondaryMaxAck: UInt32

    public init(primaryIndex: Int, secondaryIndex: Int, primaryAck: UInt32, gate: UInt32, primaryMaxAck: UInt32, secondaryMaxAck: UInt32) {
        self.primaryIndex = primaryIndex
        self.secondaryIndex = secondaryIndex
        self.primaryAck = primaryAck
        self.gate = gate
        self.primaryMaxAck = primaryMaxAck
        self.secondaryMaxAck = secondaryMaxAck
    }
}

public struct NonTCPMismatch: Sendable, Hashable {
    public enum Difference: Sendable, Hashable {
        case lengthDiffers(primary: Int, secondary: Int)
        case bytesDiffer(ByteDifference)
    }

    public var primaryIndex: Int
    /// How many secondary packets were tried (all of the connection's queue).
    public var candidates: Int
    /// The first secondary tried (the oldest) and how it differs.
    public var firstCandidateIndex: Int
    public var difference: Difference

    public init(primaryIndex: Int, candidates: Int, firstCandidateIndex: Int, difference: Difference) {
        self.primaryIndex = primaryIndex
        self.candidates = candidates
        self.firstCandidateIndex = firstCandidateIndex
        self.difference = difference
    }
}

public struct PacketTimeout: Sendable, Hashable {
    public var side: CompareSide
    public var index: Int
    public var ageMs: Int64
    public var timeoutMs: UInt32

    public init(side: CompareSide, index: Int, ageMs: Int64, timeoutMs: UInt32) {
        self.side = side
        self.index = index
        self.ageMs = ageMs
        self.timeoutMs = timeoutMs
    }
}

// MARK: - Flush and notify

public enum FlushCause: String, Sendable, Hashable {
    /// The COLO checkpoint event (C-20, K-5 step 8).
    case checkpoint
    /// `COLO_CHECKPOINT` received on notify_dev (C-26).
    case notifyCheckpoint = "notify_checkpoint"
    /// The compare is being deleted (C-28).
    case deletion
}

public enum NotifyMessage: Sendable, Hashable {
    /// `COLO_USERSPACE_PROXY_INIT`: answered with `COLO_COMPARE_GET_XEN_INIT`.
    case proxyInit
    /// `COLO_CHECKPOINT`: flush.
    case checkpoint
    /// Anything else: logged by QEMU, ignored.
    case unsupported(length: Int)
}
