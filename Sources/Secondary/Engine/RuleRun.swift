import Fabric

/// One frame's pass through the side rules: the private copy being rewritten, the entry being
/// updated, and the explanations collected on the way.
struct RuleRun {
    let key: ConnectionKey
    let quirks: QuirkSet<RewriterQuirk>
    let mutant: EngineMutant?
    let vnetHeaderLength: Int
    let fields: TCPFields
    var bytes: [UInt8]
    var connection: RewriterConnection
    var events: [RewriterDecision]
    /// The flags as the frame arrived, for explaining why nothing was rewritten.
    let originalFlags: TCPFlags
    var removed = false
    var rewrite: FieldRewrite?
    var sackRewrites: [SACKRewrite] = []
    var checksum: ChecksumOutcome?

    init(
        key: ConnectionKey, quirks: QuirkSet<RewriterQuirk>, mutant: EngineMutant?, vnetHeaderLength: Int,
        fields: TCPFields, bytes: [UInt8], connection: RewriterConnection, events: [RewriterDecision]
    ) {
        self.key = key
        self.quirks = quirks
        self.mutant = mutant
        self.vnetHeaderLength = vnetHeaderLength
        self.fields = fields
        self.bytes = bytes
        self.connection = connection
        self.events = events
        self.originalFlags = fields.flags(bytes)
    }

    var state: RewriterTCPState { connection.tcpState }

    private var offsetSignFlipped: Bool { mutant == .rewriterOffsetSignFlipped }

    /// The side's rules (RW-3): primary side for the netdev's frames, secondary side for the NIC's.
    mutating func applyRules(_ side: RewriterSide) {
        switch side {
        case .netdev: applyPrimarySideRules()
        case .nic: applySecondarySideRules()
        }
    }

    mutating func setState(_ new: RewriterTCPState, _ rule: RewriterRule) {
        let old = connection.tcpState
        connection.tcpState = new
        if old != new { events.append(.stateChanged(key: key, from: old, to: new, rule: rule)) }
    }

    mutating func setOffset(_ new: UInt32, _ rule: RewriterRule) {
        let old = connection.offset
        connection.offset = new
        if old != new { events.append(.offsetLearned(key: key, from: old, to: new, rule: rule)) }
    }

    mutating func recordGuestISN(_ isn: UInt32, _ rule: RewriterRule) {
        connection.pendingGuestISN = isn
        events.append(.isnRecorded(key: key, isn: isn, rule: rule))
    }

    mutating func remove(_ rule: RewriterRule) {
        removed = true
        events.append(.entryRemoved(key: key, rule: rule))
    }

    /// RW-9.2 (and, corrected, RW-7 for guest-initiated connections): ack := ack + offset,
    /// SACK blocks too unless the quirk leaves them, then RW-13.
    mutating func translateAcknowledgement() {
        let before = fields.ack(bytes)
        let after = offsetSignFlipped ? before &- connection.offset : before &+ connection.offset
        fields.setAck(after, in: &bytes)
        rewrite = FieldRewrite(field: .ack, from: before, to: after, offset: connection.offset)
        if !quirks[.sackBlocksUntranslated] {
            sackRewrites = SACKTranslator.translate(&bytes, tcpHeaderAt: fields.offset, by: connection.offset)
        }
        checksum = RewriterChecksum.recompute(&bytes, vnetHeaderLength: vnetHeaderLength, quirks: quirks)
    }

    /// RW-11.3: seq := seq − offset, then RW-13.
    mutating func translateSequence() {
        let before = fields.seq(bytes)
        let after = offsetSignFlipped ? before &+ connection.offset : before &- connection.offset
        fields.setSeq(after, in: &bytes)
        rewrite = FieldRewrite(field: .seq, from: before, to: after, offset: connection.offset)
        checksum = RewriterChecksum.recompute(&bytes, vnetHeaderLength: vnetHeaderLength, quirks: quirks)
    }
}
