import Fabric

/// QEMU's filter-rewriter quirks, one case each; reproduced (`true`) is QEMU's behaviour, each
/// names the spec rule it concerns. `docs/rewriter.md` tabulates them.
public enum RewriterQuirk: Int, Quirk {
    // MARK: RW-13 checksum recomputation

    /// RW-13: the TCP header is assumed to start 20 bytes after the IP header, so with IP
    /// options the checksum is computed over, and written to, the wrong bytes.
    case checksumAssumesBareIPHeader
    /// RW-13: when the IP total length is below 4·IHL the negative TCP length slips past QEMU's
    /// length check (a signed/unsigned comparison) and the sum runs over `length mod 2^16` bytes,
    /// past the end of the frame. Fixed: the recomputation is skipped.
    case checksumProceedsOnNegativeTCPLength

    // MARK: Offsets

    /// RW-15: the guest's ISN is parked in `offset` between the guest's SYN+ACK (RW-11.1) and the
    /// client's ACK (RW-9.1), so a checkpoint in between leaves offset := 0 − (ack − 1).
    /// Fixed: the ISN waits in its own field, which a checkpoint clears.
    case guestISNParkedInOffset
    /// RW-14 (last bullet): connections the guest opens never learn an offset.
    /// Fixed: the guest's SYN records its ISN and the client's SYN+ACK completes the offset
    /// (and has its acknowledgement number translated).
    case guestInitiatedConnectionsLearnNoOffset
    /// RW-14 (third bullet): a client SYN on a reused tuple keeps the old offset.
    /// Fixed: a client SYN that starts a new handshake clears the offset.
    case clientSYNKeepsStaleOffset
    /// RW-14 (third bullet): a guest SYN on a reused tuple is tracked as SYN_SENT only from CLOSED.
    /// Fixed: any guest SYN-only segment restarts the entry in SYN_SENT with a zero offset.
    case guestSYNTrackedOnlyFromClosed
    /// §8.5 rewrites only seq/ack: SACK blocks in the client's segments stay in primary space
    /// and reach the secondary guest untranslated. Fixed: they are translated with the ack.
    case sackBlocksUntranslated

    // MARK: Teardown (RW-14)

    /// RW-14 (second bullet): fin_ack_seq is kept in primary space but compared with the ack
    /// after its translation to secondary space, so with a non-zero offset the passive close
    /// never removes the entry. Fixed: the client's ack is compared before translation.
    case passiveCloseComparesAcrossSpaces
    /// RW-11.5 / RW-14 (first bullet): the guest's close enters FIN_WAIT_1 only for a FIN
    /// without ACK. Fixed: any guest FIN in ESTABLISHED does.
    case guestCloseRequiresBareFIN
    /// RW-10.2: the client's FIN in FIN_WAIT_1 removes the entry at once, so the guest's final
    /// ACK creates a fresh entry and leaves untranslated. Fixed: the entry waits in TIME_WAIT
    /// and is removed after the guest's next ACK-class segment has been translated.
    case activeCloseForgetsFinalAck
    /// RW-5/P-5: every TCP frame without an entry creates one, even a segment that cannot open a
    /// connection (the client's duplicate ACK or the guest's RST after a close), so a closed
    /// connection comes back as a CLOSED entry with nothing to remember, kept until P-5 clears
    /// the whole table. Fixed: such a frame is still stolen and run through the rules, on a
    /// fresh entry that is kept only if the rules changed it (in practice: a SYN).
    case untrackedSegmentCreatesEntry

    // MARK: Private queue (RW-6, F-13, F-14)

    /// RW-6/F-14: copies held while the sender could not send stay queued when the VM starts
    /// again, until a later copy goes through. Fixed: `vmStarted()` releases them.
    case heldCopiesWaitForLaterFrame
    /// RW-6/F-13: when a copy goes through, the held ones follow it (the newer overtakes).
    /// Fixed: held copies leave first, in arrival order.
    case newerCopyOvertakesHeld
}
