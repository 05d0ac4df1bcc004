import Fabric

/// Which colo-compare to be: QEMU as it is (with its quirks), an older QEMU, or a corrected one.
///
/// Every behavioural difference is a named switch in `CompareQuirks`, so a test, a report or the
/// docs can name the exact quirk responsible for a decision. `docs/compare.md` tabulates them.
public struct CompareProfile: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var quirks: CompareQuirks

    public init(name: String, quirks: CompareQuirks) {
        self.name = name
        self.quirks = quirks
    }

    /// The newest QEMU (identical to 7.2 for the compare, spec §12).
    public static let upstream = CompareProfile(name: "upstream", quirks: .upstream)

    /// QEMU before the 7.0 queue-order change: FIFO non-TCP queues and FIFO output drain.
    public static let qemu62 = CompareProfile(name: "qemu-6.2", quirks: .qemu62)

    /// A correct compare: every quirk off.
    public static let fixed = CompareProfile(name: "fixed", quirks: .none)

    public static let all: [CompareProfile] = [.upstream, .qemu62, .fixed]

    /// The profile called `name` ("upstream", "qemu-6.2", "fixed"), or nil.
    public init?(named name: String) {
        guard let found = CompareProfile.all.first(where: { $0.name == name }) else { return nil }
        self = found
    }

    public var description: String { name }
}

/// QEMU's compare quirks, one switch each. `true` reproduces QEMU's behaviour.
public struct CompareQuirks: Sendable, Hashable {
    /// C-7, C-14, C-20 (since 7.0): non-TCP primary queues are consumed from the tail, newest
    /// first, and so are flushed newest first. Off: oldest first (FIFO).
    public var nonTCPNewestFirst: Bool
    /// C-24 (since 7.0): output that accumulated while the peer was blocked is drained newest
    /// first. Off: in call order.
    public var outputNewestFirst: Bool
    /// C-7 (before 7.0): TCP queues are sorted ascending and consumed from the head. The
    /// visible difference: among equal sequence numbers the *newer* packet is taken first.
    public var ascendingTCPQueueLayout: Bool
    /// C-8: the per-side "max ack" takes any ack that differs (an unsigned `>` 0 test on the
    /// difference), so it holds the most recent ack. Off: circular maximum.
    public var lastAckNotMaximum: Bool
    /// C-9: the ack gate is the plain unsigned minimum of pack and sack. Off: circular minimum.
    public var unsignedAckGate: Bool
    /// C-11: rules 2/3 compare the two remaining payloads without checking that they start at
    /// the same stream position. Off: p.seq + p.offset must equal s.seq + s.offset, or mismatch.
    public var unalignedRemainders: Bool
    /// C-11: payload comparisons are not bounds-checked; what QEMU reads past a frame is heap
    /// memory. How the emulator models those bytes (see `PastFrameReads`).
    public var pastFrameReads: PastFrameReads
    /// C-8: payload size is frame length − header size, so Ethernet padding counts as payload.
    /// Off: payload size from the IP total length.
    public var payloadFromFrameLength: Bool
    /// C-8, C-11, C-15: QEMU keeps payload size, offsets and compared lengths in 16 bits (and
    /// the header size in 8), so they wrap for frames above 65 535 bytes or when a header runs
    /// past the frame. Off: exact arithmetic.
    public var sixteenBitArithmetic: Bool
    /// C-13: compare_seq == 0 is indistinguishable from "unset". Off: an explicit flag.
    public var zeroCompareSeqMeansUnset: Bool
    /// C-15, C-16: UDP and ICMP comparison starts at V + 14 + 4·IHL even for 802.1ad-tagged
    /// frames. Off: at the real transport header.
    public var untaggedTransportOffset: Bool
    /// A deliberate bug for the fuzzer's self-test (`EngineMutant`); nil in every profile.
    public var mutant: EngineMutant?

    public init(
        nonTCPNewestFirst: Bool, outputNewestFirst: Bool, ascendingTCPQueueLayout: Bool,
        lastAckNotMaximum: Bool, unsignedAckGate: Bool, unalignedRemainders: Bool,
        pastFrameReads: PastFrameReads, payloadFromFrameLength: Bool, sixteenBitArithmetic: Bool,
        zeroCompareSeqMeansUnset: Bool, untaggedTransportOffset: Bool
    ) {
        self.nonTCPNewestFirst = nonTCPNewestFirst
        self.outputNewestFirst = outputNewestFirst
        self.ascendingTCPQueueLayout = ascendingTCPQueueLayout
        self.lastAckNotMaximum = lastAckNotMaximum
        self.unsignedAckGate = unsignedAckGate
        self.unalignedRemainders = unalignedRemainders
        self.pastFrameReads = pastFrameReads
        self.payloadFromFrameLength = payloadFromFrameLength
        self.sixteenBitArithmetic = sixteenBitArithmetic
        self.zeroCompareSeqMeansUnset = zeroCompareSeqMeansUnset
        self.untaggedTransportOffset = untaggedTransportOffset
    }

    public static let upstream = CompareQuirks(
        nonTCPNewestFirst: true, outputNewestFirst: true, ascendingTCPQueueLayout: false,
        lastAckNotMaximum: true, unsignedAckGate: true, unalignedRemainders: true,
        pastFrameReads: .heapGarbage, payloadFromFrameLength: true, sixteenBitArithmetic: true,
        zeroCompareSeqMeansUnset: true, untaggedTransportOffset: true)

    /// 6.2 differs from upstream only by the 7.0 queue-order patch.
    public static let qemu62: CompareQuirks = {
        var quirks = CompareQuirks.upstream
        quirks.nonTCPNewestFirst = false
        quirks.outputNewestFirst = false
        quirks.ascendingTCPQueueLayout = true
        return quirks
    }()

    public static let none = CompareQuirks(
        nonTCPNewestFirst: false, outputNewestFirst: false, ascendingTCPQueueLayout: false,
        lastAckNotMaximum: false, unsignedAckGate: false, unalignedRemainders: false,
        pastFrameReads: .boundsChecked, payloadFromFrameLength: false, sixteenBitArithmetic: false,
        zeroCompareSeqMeansUnset: false, untaggedTransportOffset: false)

    /// Switch names in declaration order with their settings, for docs and reports.
    public var named: [(name: String, value: String)] {
        [("nonTCPNewestFirst", "\(nonTCPNewestFirst)"), ("outputNewestFirst", "\(outputNewestFirst)"),
         ("ascendingTCPQueueLayout", "\(ascendingTCPQueueLayout)"), ("lastAckNotMaximum", "\(lastAckNotMaximum)"),
         ("unsignedAckGate", "\(unsignedAckGate)"), ("unalignedRemainders", "\(unalignedRemainders)"),
         ("pastFrameReads", pastFrameReads.rawValue), ("payloadFromFrameLength", "\(payloadFromFrameLength)"),
         ("sixteenBitArithmetic", "\(sixteenBitArithmetic)"), ("zeroCompareSeqMeansUnset", "\(zeroCompareSeqMeansUnset)"),
         ("untaggedTransportOffset", "\(untaggedTransportOffset)")]
    }
}

/// What a comparison that runs past the end of a frame sees (C-11: QEMU never bounds-checks).
///
/// QEMU keeps each packet in its own `malloc`ed copy and `memcmp`s past its end into the heap.
/// Measured against QEMU 7.2: the bytes up to the end of the packet's malloc chunk (glibc's
/// usable size) are zero in a freshly started process and stale data once memory has been
/// recycled; bytes beyond the chunk belong to the allocator and differ. A long-running QEMU
/// has recycled its heap, so a comparison that leaves a frame practically always fails.
public enum PastFrameReads: String, Sendable, Hashable {
    /// QEMU in steady state (default): a byte past the frame never equals anything, so the
    /// comparison mismatches there, reported as a byte difference with the missing side nil.
    case heapGarbage = "heap_garbage"
    /// QEMU just after start: bytes inside the packet's malloc chunk read as zero, bytes past it
    /// differ. Reproduces a fresh QEMU process, e.g. the differential oracle's.
    case freshHeap = "fresh_heap"
    /// Corrected: the comparison is refused as out of range (a mismatch, detail out_of_range).
    case boundsChecked = "bounds_checked"
}
