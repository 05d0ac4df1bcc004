import Fabric

/// Which QEMU quirks the rewriter reproduces. Every switch is `true` when the QEMU behaviour
/// is reproduced and `false` for the corrected behaviour; each names the spec rule it concerns.
///
/// `upstream` (the default) reproduces every quirk; `qemu-7.2` is an alias of it (no behavioural
/// change to filter-rewriter or the TCP part of the checksum code was found between the 7.2 era
/// and upstream, see docs/rewriter.md); `fixed` corrects every quirk.
public struct RewriterProfile: Sendable, Hashable {
    public var name: String

    // MARK: RW-13 checksum recomputation

    /// RW-13: the TCP header is assumed to start 20 bytes after the IP header, so with IP
    /// options the checksum is computed over, and written to, the wrong bytes.
    public var checksumAssumesBareIPHeader: Bool
    /// RW-13: when the IP total length is below 4·IHL the negative TCP length slips past QEMU's
    /// length check (a signed/unsigned comparison) and the sum runs over `length mod 2^16` bytes,
    /// past the end of the frame. Fixed: the recomputation is skipped.
    public var checksumProceedsOnNegativeTCPLength: Bool

    // MARK: Offsets

    /// RW-15: the guest's ISN is parked in `offset` between the guest's SYN+ACK (RW-11.1) and the
    /// client's ACK (RW-9.1), so a checkpoint in between leaves offset := 0 − (ack − 1).
    /// Fixed: the ISN waits in its own field, which a checkpoint clears.
    public var guestISNParkedInOffset: Bool
    /// RW-14 (last bullet): connections the guest opens never learn an offset.
    /// Fixed: the guest's SYN records its ISN and the client's SYN+ACK completes the offset
    /// (and has its acknowledgement number translated).
    public var guestInitiatedConnectionsLearnNoOffset: Bool
    /// RW-14 (third bullet): a client SYN on a reused tuple keeps the old offset.
    /// Fixed: a client SYN that starts a new handshake clears the offset.
    public var clientSYNKeepsStaleOffset: Bool
    /// RW-14 (third bullet): a guest SYN on a reused tuple is tracked as SYN_SENT only from CLOSED.
    /// Fixed: any guest SYN-only segment restarts the entry in SYN_SENT with a zero offset.
    public var guestSYNTrackedOnlyFromClosed: Bool
    /// §8.5 rewrites only seq/ack: SACK blocks in the client's segments stay in primary space
    /// and reach the secondary guest untranslated. Fixed: they are translated with the ack.
    public var sackBlocksUntranslated: Bool

    // MARK: Teardown (RW-14)

    /// RW-14 (second bullet): fin_ack_seq is kept in primary space but compared with the ack
    /// after its translation to secondary space, so with a non-zero offset the passive close
    /// never removes the entry. Fixed: the client's ack is compared before translation.
    public var passiveCloseComparesAcrossSpaces: Bool
    /// RW-11.5 / RW-14 (first bullet): the guest's close enters FIN_WAIT_1 only for a FIN
    /// without ACK. Fixed: any guest FIN in ESTABLISHED does.
    public var guestCloseRequiresBareFIN: Bool
    /// RW-10.2: the client's FIN in FIN_WAIT_1 removes the entry at once, so the guest's final
    /// ACK creates a fresh entry and leaves untranslated. Fixed: the entry waits in TIME_WAIT
    /// and is removed after the guest's next ACK-class segment has been translated.
    public var activeCloseForgetsFinalAck: Bool
    /// RW-5/P-5: every TCP frame without an entry creates one, even a segment that cannot open a
    /// connection (the client's duplicate ACK or the guest's RST after a close), so a closed
    /// connection comes back as a CLOSED entry with nothing to remember, kept until P-5 clears
    /// the whole table. Fixed: such a frame is still stolen and run through the rules, on a
    /// fresh entry that is kept only if the rules changed it (in practice: a SYN).
    public var untrackedSegmentCreatesEntry: Bool
    /// A deliberate bug for the fuzzer's self-test (`EngineMutant`); nil in every profile.
    public var mutant: EngineMutant?

    // MARK: Private queue (RW-6, F-13, F-14)

    /// RW-6/F-14: copies held while the sender could not send stay queued when the VM starts
    /// again, until a later copy goes through. Fixed: `vmStarted()` releases them.
    public var heldCopiesWaitForLaterFrame: Bool
    /// RW-6/F-13: when a copy goes through, the held ones follow it (the newer overtakes).
    /// Fixed: held copies leave first, in arrival order.
    public var newerCopyOvertakesHeld: Bool

    public init(
        name: String,
        checksumAssumesBareIPHeader: Bool = true,
        checksumProceedsOnNegativeTCPLength: Bool = true,
        guestISNParkedInOffset: Bool = true,
        guestInitiatedConnectionsLearnNoOffset: Bool = true,
        clientSYNKeepsStaleOffset: Bool = true,
        guestSYNTrackedOnlyFromClosed: Bool = true,
        sackBlocksUntranslated: Bool = true,
        passiveCloseComparesAcrossSpaces: Bool = true,
        guestCloseRequiresBareFIN: Bool = true,
        activeCloseForgetsFinalAck: Bool = true,
        untrackedSegmentCreatesEntry: Bool = true,
        heldCopiesWaitForLaterFrame: Bool = true,
        newerCopyOvertakesHeld: Bool = true
    ) {
        self.name = name
        self.checksumAssumesBareIPHeader = checksumAssumesBareIPHeader
        self.checksumProceedsOnNegativeTCPLength = checksumProceedsOnNegativeTCPLength
        self.guestISNParkedInOffset = guestISNParkedInOffset
        self.guestInitiatedConnectionsLearnNoOffset = guestInitiatedConnectionsLearnNoOffset
        self.clientSYNKeepsStaleOffset = clientSYNKeepsStaleOffset
        self.guestSYNTrackedOnlyFromClosed = guestSYNTrackedOnlyFromClosed
        self.sackBlocksUntranslated = sackBlocksUntranslated
        self.passiveCloseComparesAcrossSpaces = passiveCloseComparesAcrossSpaces
        self.guestCloseRequiresBareFIN = guestCloseRequiresBareFIN
        self.activeCloseForgetsFinalAck = activeCloseForgetsFinalAck
        self.untrackedSegmentCreatesEntry = untrackedSegmentCreatesEntry
        self.heldCopiesWaitForLaterFrame = heldCopiesWaitForLaterFrame
        self.newerCopyOvertakesHeld = newerCopyOvertakesHeld
    }

    /// QEMU master as specified: every quirk reproduced.
    public static let upstream = RewriterProfile(name: "upstream")

    /// Debian bookworm's QEMU 7.2. Behaviourally identical to `upstream` for the rewriter.
    public static let qemu72 = RewriterProfile(name: "qemu-7.2")

    /// Corrected behaviour: every quirk switched off.
    public static let fixed = RewriterProfile(
        name: "fixed",
        checksumAssumesBareIPHeader: false,
        checksumProceedsOnNegativeTCPLength: false,
        guestISNParkedInOffset: false,
        guestInitiatedConnectionsLearnNoOffset: false,
        clientSYNKeepsStaleOffset: false,
        guestSYNTrackedOnlyFromClosed: false,
        sackBlocksUntranslated: false,
        passiveCloseComparesAcrossSpaces: false,
        guestCloseRequiresBareFIN: false,
        activeCloseForgetsFinalAck: false,
        untrackedSegmentCreatesEntry: false,
        heldCopiesWaitForLaterFrame: false,
        newerCopyOvertakesHeld: false
    )

    public static let all: [RewriterProfile] = [.upstream, .qemu72, .fixed]

    /// The profile with this name (`upstream`, `qemu-7.2`, `fixed`), or nil.
    public static func named(_ name: String) -> RewriterProfile? {
        all.first { $0.name == name }
    }

    /// The quirk switches with their names and current values, in declaration order.
    public var quirkSwitches: [(name: String, reproducesQuirk: Bool)] {
        [
            ("checksumAssumesBareIPHeader", checksumAssumesBareIPHeader),
            ("checksumProceedsOnNegativeTCPLength", checksumProceedsOnNegativeTCPLength),
            ("guestISNParkedInOffset", guestISNParkedInOffset),
            ("guestInitiatedConnectionsLearnNoOffset", guestInitiatedConnectionsLearnNoOffset),
            ("clientSYNKeepsStaleOffset", clientSYNKeepsStaleOffset),
            ("guestSYNTrackedOnlyFromClosed", guestSYNTrackedOnlyFromClosed),
            ("sackBlocksUntranslated", sackBlocksUntranslated),
            ("passiveCloseComparesAcrossSpaces", passiveCloseComparesAcrossSpaces),
            ("guestCloseRequiresBareFIN", guestCloseRequiresBareFIN),
            ("activeCloseForgetsFinalAck", activeCloseForgetsFinalAck),
            ("untrackedSegmentCreatesEntry", untrackedSegmentCreatesEntry),
            ("heldCopiesWaitForLaterFrame", heldCopiesWaitForLaterFrame),
            ("newerCopyOvertakesHeld", newerCopyOvertakesHeld),
        ]
    }
}
