import Fabric

/// QEMU's compare quirks that are either reproduced or corrected, one case each; reproduced
/// (`true`) is QEMU's behaviour. `docs/compare.md` tabulates them.
public enum CompareQuirk: Int, Quirk {
    /// C-7, C-14, C-20 (since 7.0): non-TCP primary queues are consumed from the tail, newest
    /// first, and so are flushed newest first. Off: oldest first (FIFO).
    case nonTCPNewestFirst
    /// C-24 (since 7.0): output that accumulated while the peer was blocked is drained newest
    /// first. Off: in call order.
    case outputNewestFirst
    /// C-7 (before 7.0): TCP queues are sorted ascending and consumed from the head. The
    /// visible difference: among equal sequence numbers the *newer* packet is taken first.
    case ascendingTCPQueueLayout
    /// C-8: the per-side "max ack" takes any ack that differs (an unsigned `>` 0 test on the
    /// difference), so it holds the most recent ack. Off: circular maximum.
    case lastAckNotMaximum
    /// C-9: the ack gate is the plain unsigned minimum of pack and sack. Off: circular minimum.
    case unsignedAckGate
    /// C-11: rules 2/3 compare the two remaining payloads without checking that they start at
    /// the same stream position. Off: p.seq + p.offset must equal s.seq + s.offset, or mismatch.
    case unalignedRemainders
    /// C-8: payload size is frame length − header size, so Ethernet padding counts as payload.
    /// Off: payload size from the IP total length.
    case payloadFromFrameLength
    /// C-8, C-11, C-15: QEMU keeps payload size, offsets and compared lengths in 16 bits (and
    /// the header size in 8), so they wrap for frames above 65 535 bytes or when a header runs
    /// past the frame. Off: exact arithmetic.
    case sixteenBitArithmetic
    /// C-13: compare_seq == 0 is indistinguishable from "unset". Off: an explicit flag.
    case zeroCompareSeqMeansUnset
    /// C-15, C-16: UDP and ICMP comparison starts at V + 14 + 4·IHL even for 802.1ad-tagged
    /// frames. Off: at the real transport header.
    case untaggedTransportOffset
}
