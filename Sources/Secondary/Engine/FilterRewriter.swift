import Fabric

/// QEMU's filter-rewriter as a sans-I/O engine (spec §8).
///
/// Feed it every frame the filter would see, with who sent it (`receive`); call `checkpoint()`
/// and `failover()` when the COLO events arrive. It never drops a frame: each one either passes
/// through untouched (the hook returned 0) or is stolen and replaced by a copy that the caller
/// sends on through the private queue (`RewriterQueue`, RW-6). Deterministic: the table is
/// never iterated in an order that can reach a decision or an output.
public struct FilterRewriter: Sendable {
    public let profile: RewriterProfile
    /// A deliberate bug for the fuzzer's self-test (`lockstep fuzz --mutant`); nil otherwise.
    public let mutant: EngineMutant?
    /// V used for parsing (RW-1): the netdev's vnet header length when `vnet_hdr_support` is
    /// on, else 0. A frame's own `vnetHeaderLength` is metadata and is not used, as in QEMU.
    public let vnetHeaderLength: UInt32
    public private(set) var table: RewriterConnectionTable
    /// RW-4/RW-15: set by a successful failover, never cleared.
    public private(set) var isInFailoverMode = false
    public private(set) var counters = RewriterCounters()

    public init(
        profile: RewriterProfile = .upstream,
        mutant: EngineMutant? = nil,
        vnetHeaderLength: UInt32 = 0,
        tableResetThreshold: Int = RewriterConnectionTable.defaultResetThreshold
    ) {
        self.profile = profile
        self.mutant = mutant
        self.quirks = profile.quirks
        self.vnetHeaderLength = vnetHeaderLength
        self.table = RewriterConnectionTable(resetThreshold: tableResetThreshold)
    }

    /// The profile's quirks without its name, so the hot path copies no strings.
    private let quirks: QuirkSet<RewriterQuirk>

    /// The entry for `key`, if tracked.
    public func connection(_ key: ConnectionKey) -> RewriterConnection? { table[key] }

    /// Every entry in key order.
    public var connections: [(key: ConnectionKey, value: RewriterConnection)] { table.sortedEntries }

    /// Handles one frame (RW-2..RW-14).
    public mutating func receive(_ frame: Frame, from side: RewriterSide) -> RewriterOutcome {
        counters.framesReceived += 1
        let layout: COLOPacketLayout
        switch COLOPacketParser.parse(frame.bytes, vnetHeaderLength: vnetHeaderLength) {
        case .failure(let why):
            counters.passedUnparseable += 1
            return passThrough(frame, side, .unparseable(why))
        case .success(let parsed):
            layout = parsed
        }
        guard layout.ipProtocol == IPProtocolNumber.tcp else {
            counters.passedNotTCP += 1
            return passThrough(frame, side, .notTCP(ipProtocol: layout.ipProtocol))
        }
        let key = Self.tcpKey(frame.bytes, layout, reversed: side.usesReversedKey)
        if isInFailoverMode && table[key] == nil {
            counters.passedFailoverUntracked += 1
            return passThrough(frame, side, .failoverUntracked, key: key)
        }

        let fields = TCPFields(offset: layout.transportOffset)
        if !quirks[.untrackedSegmentCreatesEntry] && table[key] == nil {
            // A fresh entry that the rules leave as it was records nothing worth keeping: a late
            // duplicate ACK or RST of a connection already closed would otherwise come back as a
            // CLOSED entry until P-5 clears the table.
            var trial = RuleRun(
                key: key, quirks: quirks, mutant: mutant, vnetHeaderLength: layout.vnetHeaderLength,
                fields: fields, bytes: frame.bytes, connection: RewriterConnection(), events: [])
            trial.applyRules(side)
            if !trial.removed && trial.connection == RewriterConnection() {
                counters.untrackedSegmentsNotKept += 1
                return stolenOutcome(&trial, frame, side, key)
            }
        }

        var events: [RewriterDecision] = []
        let location = table.locate(key)
        if location.created { counters.entriesCreated += 1 }
        if let dropped = location.droppedByReset {
            counters.tableResets += 1
            counters.entriesDroppedByReset += dropped
            events.append(.tableReset(droppedEntries: dropped))
        }

        var run = RuleRun(
            key: key, quirks: quirks, mutant: mutant, vnetHeaderLength: layout.vnetHeaderLength,
            fields: fields, bytes: frame.bytes, connection: table.value(at: location.index),
            events: events)
        run.applyRules(side)
        if run.removed {
            table.remove(at: location.index)
            counters.entriesRemoved += 1
        } else {
            table.setValue(run.connection, at: location.index)
        }
        return stolenOutcome(&run, frame, side, key)
    }

    /// The record and copy of a frame the rules ran on (RW-5: the original is stolen). The run
    /// is finished: its copy and arrays move into the outcome rather than being copied (each
    /// copy would retain, and the run's destruction release, what the outcome keeps).
    private mutating func stolenOutcome(
        _ run: inout RuleRun, _ frame: Frame, _ side: RewriterSide, _ key: ConnectionKey
    ) -> RewriterOutcome {
        counters.stolen += 1
        var record = ForwardRecord(side: side, handling: .stolen, key: key)
        if let rewrite = run.rewrite {
            counters.rewritten += 1
            record.rewrite = rewrite
            swap(&record.sackRewrites, &run.sackRewrites)
            record.checksum = run.checksum
            count(run.checksum)
        } else {
            record.unchangedReason = run.originalFlags.isAckClass ? .offsetZero : .notAckClass
        }
        var bytes: [UInt8] = []
        swap(&bytes, &run.bytes)
        var events: [RewriterDecision] = []
        swap(&events, &run.events)
        return RewriterOutcome(frame: Frame(bytes, vnetHeaderLength: frame.vnetHeaderLength), record: record, events: events)
    }

    /// RW-15 checkpoint: every offset := 0; states and fin_ack_seq kept. Parked ISNs of the
    /// corrected profiles are dropped too: after a checkpoint the guest is the primary's copy.
    public mutating func checkpoint() -> RewriterDecision {
        var offsetsReset = 0
        var pendingCleared = 0
        // Every entry gets the same treatment and only counts come out: order cannot matter.
        table.updateEveryEntry { entry in
            if entry.offset != 0 { offsetsReset += 1 }
            if entry.pendingGuestISN != nil { pendingCleared += 1 }
            entry.offset = 0
            entry.pendingGuestISN = nil
        }
        return .checkpoint(entries: table.count, offsetsReset: offsetsReset, pendingISNsCleared: pendingCleared)
    }

    /// RW-15 failover: enter failover mode (permanently) only if no entry has a non-zero offset;
    /// otherwise nothing changes. The rewriter's status is never switched off.
    public mutating func failover() -> RewriterDecision {
        let nonZero = table.countEntries { $0.offset != 0 }
        if nonZero == 0 { isInFailoverMode = true }
        return .failover(entered: nonZero == 0, nonZeroOffsets: nonZero)
    }

    /// P-3 for TCP, as `ConnectionKey(bytes:layout:reversed:)` computes it (a test holds the two
    /// equal), written out here so the hot path reads the port word with a single load.
    @inline(__always)
    static func tcpKey(_ bytes: [UInt8], _ layout: COLOPacketLayout, reversed: Bool) -> ConnectionKey {
        let word = bytes.fastBE32(at: layout.transportOffset)
        return reversed
            ? ConnectionKey(addressA: layout.destination, addressB: layout.source, portWord: word << 16 | word >> 16, ipProtocol: IPProtocolNumber.tcp)
            : ConnectionKey(addressA: layout.source, addressB: layout.destination, portWord: word, ipProtocol: IPProtocolNumber.tcp)
    }

    /// Replaces or creates an entry directly (tests and scenario set-up).
    mutating func setEntry(_ key: ConnectionKey, _ entry: RewriterConnection) {
        table[key] = entry
    }

    private mutating func passThrough(
        _ frame: Frame, _ side: RewriterSide, _ reason: UnchangedReason, key: ConnectionKey? = nil
    ) -> RewriterOutcome {
        RewriterOutcome(frame: frame, record: ForwardRecord(side: side, handling: .passed, key: key, unchangedReason: reason))
    }

    private mutating func count(_ outcome: ChecksumOutcome?) {
        switch outcome {
        case .written(_, _, _, let misplaced, _)?:
            if misplaced { counters.checksumsMisplaced += 1 } else { counters.checksumsWritten += 1 }
        case .skipped?: counters.checksumsSkipped += 1
        case nil: break
        }
    }
}
