import Fabric

/// QEMU's colo-compare as a sans-I/O state machine (§7).
///
/// Inputs are whole records (already de-framed, W-5) with a host-clock reading in ms; outputs
/// are `CompareAction`s in order: decision events, records to write, local checkpoint requests.
/// Nothing here reads a clock, sleeps or touches a file descriptor. The host must call
/// `advanceTime(toMs:)` (or `scanTimerFired`) so the periodic timeout scan (C-19) runs.
///
/// Each input method has an `into:` form that appends to a caller-owned buffer (no allocation in
/// steady state) and a convenience form that returns a fresh array.
public struct COLOCompare {
    public internal(set) var configuration: COLOCompare.Configuration
    public let process: CompareProcess
    private let quirks: CompareQuirks
    private let mutant: EngineMutant?
    private var table: ConnectionIndex
    /// The connection list in first-packet order (C-5): flush and scan walk it in this order.
    private var connections: [CompareConnection] = []
    private var sink: DecisionSink

    /// Records received on each input so far: the next record's index.
    public private(set) var primaryRecordCount = 0
    public private(set) var secondaryRecordCount = 0
    /// When the timeout scan fires next (host ms); nil once deleted.
    public private(set) var nextScanDeadlineMs: Int64?
    public private(set) var isDeleted = false

    /// A completed compare (C-1 steps 5–7): the scan timer is armed `expired_scan_cycle` after
    /// `nowMs`. A zero process-global queue size becomes 1024 (C-1.3).
    public init(configuration: COLOCompare.Configuration = COLOCompare.Configuration(),
                process: CompareProcess = CompareProcess(), nowMs: Int64) {
        self.configuration = configuration
        self.process = process
        process.applyDefaultIfUnset()
        quirks = configuration.profile.quirks
        mutant = configuration.mutant
        table = ConnectionIndex(resetThreshold: configuration.connectionTableResetThreshold)
        sink = DecisionSink(vnetHeaderSupport: configuration.vnetHeaderSupport,
                            hasNotifyDev: configuration.hasNotifyDev, quirks: configuration.profile.quirks)
        nextScanDeadlineMs = nowMs + Int64(configuration.expiredScanCycleMs)
    }

    /// Object completion with QEMU's validation, in QEMU's order (C-1). Chardevs are attached in
    /// `chardevs` as they pass; a later failure leaves them attached (C-2).
    public static func complete(
        _ properties: COLOCompareProperties, profile: CompareProfile = .upstream,
        process: CompareProcess, chardevs: inout CompareChardevInventory, nowMs: Int64
    ) throws(COLOCompareSetupError) -> COLOCompare {
        process.adoptMaxQueueSize(of: properties)
        let (primaryIn, secondaryIn, outdev) = try properties.channelChardevs()
        // C-1.3 happens before any chardev is looked at.
        process.applyDefaultIfUnset()
        try chardevs.attach(primaryIn)
        try chardevs.attach(secondaryIn)
        try chardevs.attach(outdev)
        if let notifyDev = properties.notifyDev {
            try chardevs.attach(notifyDev)
        }
        return COLOCompare(configuration: COLOCompare.Configuration(properties, profile: profile), process: process, nowMs: nowMs)
    }

    // MARK: - Inputs

    /// A record from primary_in (C-3).
    public mutating func receivePrimary(_ frame: Frame, nowMs: Int64, into actions: inout [CompareAction]) {
        let index = primaryRecordCount
        primaryRecordCount += 1
        if isDeleted {
            sink.drop(.primary, index: index, connection: nil, reason: .compareDeleted)
        } else if frame.isEmpty {
            // A zero-length record (W-7) is unparseable and its zero-byte send is refused (W-4).
            sink.drop(.primary, index: index, connection: nil, reason: .emptyRecord)
        } else {
            switch COLOPacketParser.parse(frame) {
            case .failure(let reason):
                sink.release(frame, index: index, connection: nil, reason: .unparseable(reason))
            case .success(let layout):
                enqueue(frame, layout: layout, side: .primary, index: index, nowMs: nowMs)
            }
        }
        sink.drain(into: &actions)
    }

    /// A record from secondary_in (C-4).
    public mutating func receiveSecondary(_ frame: Frame, nowMs: Int64, into actions: inout [CompareAction]) {
        let index = secondaryRecordCount
        secondaryRecordCount += 1
        if isDeleted {
            sink.drop(.secondary, index: index, connection: nil, reason: .compareDeleted)
        } else {
            switch COLOPacketParser.parse(frame) {
            case .failure(let reason):
                sink.drop(.secondary, index: index, connection: nil, reason: .unparseable(reason))
            case .success(let layout):
                enqueue(frame, layout: layout, side: .secondary, index: index, nowMs: nowMs)
            }
        }
        sink.drain(into: &actions)
    }

    /// A record from notify_dev (C-26). Ignored when notify_dev is not configured (nothing
    /// reads it) or the compare is deleted. Only the record's bytes matter, not its V.
    public mutating func receiveNotify(_ record: Frame, nowMs: Int64, into actions: inout [CompareAction]) {
        guard configuration.hasNotifyDev, !isDeleted else { return }
        switch record.bytes {
        case NotifyProtocol.proxyInit:
            sink.actions.append(.event(.notifyReceived(.proxyInit)))
            sink.sendNotify(NotifyProtocol.proxyInitReply)
        case NotifyProtocol.checkpoint:
            sink.actions.append(.event(.notifyReceived(.checkpoint)))
            flush(cause: .notifyCheckpoint)
        default:
            sink.actions.append(.event(.notifyReceived(.unsupported(length: record.count))))
        }
        sink.drain(into: &actions)
    }

    // MARK: - Time and events

    /// Fires the scan timer if it is due (deadline ≤ now). QEMU re-arms from the time the
    /// timer ran, so a late timer fires once, not once per missed period.
    public mutating func advanceTime(toMs nowMs: Int64, into actions: inout [CompareAction]) {
        guard let deadline = nextScanDeadlineMs, deadline <= nowMs else { return }
        scanTimerFired(nowMs: nowMs, into: &actions)
    }

    /// C-19: walk the connection list; at the first queued packet (primary list first, then
    /// secondary, each from the head) older than compare_timeout, request one checkpoint and
    /// stop. Re-arms the timer to now + expired_scan_cycle.
    public mutating func scanTimerFired(nowMs: Int64, into actions: inout [CompareAction]) {
        guard !isDeleted else { return }
        let timeout = Int64(configuration.compareTimeoutMs)
        func expired(_ packet: QueuedPacket) -> Bool { nowMs - packet.creationMs > timeout }
        for connection in connections {
            let found: (CompareSide, QueuedPacket)? =
                if let old = connection.primary.first(where: expired) { (.primary, old) }
                else if let old = connection.secondary.first(where: expired) { (.secondary, old) }
                else { nil }
            if let (side, old) = found {
                sink.requestCheckpoint(connection.key, reason: .timeout(PacketTimeout(
                    side: side, index: old.index, ageMs: nowMs - old.creationMs, timeoutMs: configuration.compareTimeoutMs)))
                break
            }
        }
        nextScanDeadlineMs = nowMs + Int64(configuration.expiredScanCycleMs)
        sink.drain(into: &actions)
    }

    /// C-20: the COLO checkpoint event. Every connection in list order: release all primary
    /// packets, then drop all secondary packets. compare_seq, pack, sack survive.
    public mutating func checkpoint(nowMs: Int64, into actions: inout [CompareAction]) {
        guard !isDeleted else { return }
        flush(cause: .checkpoint)
        sink.drain(into: &actions)
    }

    /// C-21: the failover event does nothing.
    public mutating func failover(nowMs: Int64, into actions: inout [CompareAction]) {}

    /// C-28: stop reading, delete the timer, flush as C-20 (primaries released, not lost).
    /// Output still blocked behind a non-writable peer stays queued until `setPeerState` lets
    /// it drain — QEMU would wait for it.
    public mutating func delete(nowMs: Int64, into actions: inout [CompareAction]) {
        guard !isDeleted else { return }
        isDeleted = true
        nextScanDeadlineMs = nil
        flush(cause: .deletion)
        connections.removeAll()
        table.removeAll()
        sink.drain(into: &actions)
    }

    /// The host reports the state of the peer behind an output channel (C-23..C-25).
    public mutating func setPeerState(_ state: PeerState, for channel: CompareChannel, into actions: inout [CompareAction]) {
        sink.setPeer(state, for: channel)
        sink.drain(into: &actions)
    }

    /// A host that batches writes found the peer stopped taking bytes part-way (C-24): `current`
    /// is the write it was in the middle of — it keeps the unwritten bytes and finishes them
    /// first, then reports `.writable` (or `.failing` if the peer goes away). The writes it was
    /// handed after that one, none of whose bytes went out, come back in the order they were
    /// handed over: first those emitted by a drain of the channel's queue (the writes that
    /// `setPeerState(.writable)` returned), then those emitted at once by later inputs. They return
    /// to the channel's queue where QEMU's send list would hold them, and the peer is `.blocked`.
    /// A `write_failed` drop of a handed-back record names no connection (writes carry none).
    public mutating func outputStalled(on channel: CompareChannel, current: CompareWrite, unsent: [CompareWrite],
                                       fromQueue: Int, into actions: inout [CompareAction]) {
        func entry(_ write: CompareWrite) -> SendChannel.Entry {
            SendChannel.Entry(frame: write.frame, primaryIndex: write.primaryIndex, connection: nil)
        }
        let split = min(max(0, fromQueue), unsent.count)
        sink.stall(channel, current: entry(current), fromQueue: unsent[..<split].map(entry), new: unsent[split...].map(entry))
        sink.drain(into: &actions)
    }

    // MARK: - Internals

    /// C-5, C-6: find or create the connection, insert if there is room, then compare that
    /// connection only (C-10 or C-14) — also when the packet was refused.
    private mutating func enqueue(_ frame: Frame, layout: COLOPacketLayout, side: CompareSide, index: Int, nowMs: Int64) {
        let key = ConnectionKey(bytes: frame.bytes, layout: layout)
        let slot = connectionSlot(for: key)
        // Asked of the key in hand: asking `connections[slot]` copies the element (and retains
        // both its queues) just to read one field.
        let isTCP = key.ipProtocol == IPProtocolNumber.tcp
        var outcome = CompareConnection.ArrivalOutcome.undecided
        if !isTCP {
            outcome = connections[slot].matchArrival(frame, layout: layout, index: index, side: side, quirks: quirks, sink: &sink)
            if case .decided = outcome { return }
        }
        let packet = QueuedPacket(frame: frame, index: index, creationMs: nowMs, layout: layout)
        let length = side == .primary ? connections[slot].primary.count : connections[slot].secondary.count
        // An empty queue accepts whatever the limit, so the shared global (a class property,
        // read with a dynamic exclusivity check) is only consulted when it can matter.
        let limit: UInt32 = length == 0 ? 0 : process.maxQueueSize
        if !connections[slot].insert(packet, side: side, queueLength: length, maxQueueSize: limit, quirks: quirks) {
            sink.drop(side, index: index, connection: key, reason: .queueFull(queueLength: length, maxQueueSize: limit))
        }
        if isTCP {
            connections[slot].compareTCP(quirks: quirks, mutant: mutant, sink: &sink)
        } else if case .undecided = outcome {
            connections[slot].compareNonTCP(quirks: quirks, sink: &sink)
        }
    }

    /// P-5: lookup-or-create; a new key arriving at a table of more than the threshold clears
    /// the table and destroys every connection with its queued packets (dropped, not released).
    @inline(__always)
    private mutating func connectionSlot(for key: ConnectionKey) -> Int {
        let next = connections.count
        let (slot, didReset) = table.lookupOrInsert(key, next: next)
        if didReset {
            resetConnections(startingWith: key)
            return 0
        }
        if slot == next { connections.append(CompareConnection(key: key)) }
        return slot
    }

    /// P-5's reset: the table was cleared; every connection dies with its queued packets.
    private mutating func resetConnections(startingWith key: ConnectionKey) {
        for connection in connections {
            for packet in connection.primary {
                sink.drop(.primary, index: packet.index, connection: connection.key, reason: .tableReset)
            }
            for packet in connection.secondary {
                sink.drop(.secondary, index: packet.index, connection: connection.key, reason: .tableReset)
            }
        }
        connections.removeAll()
        connections.append(CompareConnection(key: key))
    }

    private mutating func flush(cause: FlushCause) {
        sink.actions.append(.event(.flush(cause)))
        let release: ReleaseReason = cause == .deletion ? .deletionFlush : .checkpointFlush
        let drop: CompareDropReason = cause == .deletion ? .deletionFlush : .checkpointFlush
        for slot in connections.indices {
            let tail = connections[slot].consumesFromTail(quirks)
            let key = connections[slot].key
            for packet in CompareConnection.takeAll(&connections[slot].primary, tail: tail) {
                if mutant == .flushDropsPrimary {
                    sink.drop(.primary, index: packet.index, connection: key, reason: drop)
                } else {
                    sink.release(packet, connection: key, reason: release)
                }
            }
            for packet in CompareConnection.takeAll(&connections[slot].secondary, tail: tail) {
                sink.drop(.secondary, index: packet.index, connection: key, reason: drop)
            }
        }
    }
}

// MARK: - Convenience forms and inspection

extension COLOCompare {
    public mutating func receivePrimary(_ frame: Frame, nowMs: Int64) -> [CompareAction] {
        var actions: [CompareAction] = []
        receivePrimary(frame, nowMs: nowMs, into: &actions)
        return actions
    }

    public mutating func receiveSecondary(_ frame: Frame, nowMs: Int64) -> [CompareAction] {
        var actions: [CompareAction] = []
        receiveSecondary(frame, nowMs: nowMs, into: &actions)
        return actions
    }

    public mutating func receiveNotify(_ record: Frame, nowMs: Int64) -> [CompareAction] {
        var actions: [CompareAction] = []
        receiveNotify(record, nowMs: nowMs, into: &actions)
        return actions
    }

    public mutating func advanceTime(toMs nowMs: Int64) -> [CompareAction] {
        var actions: [CompareAction] = []
        advanceTime(toMs: nowMs, into: &actions)
        return actions
    }

    public mutating func scanTimerFired(nowMs: Int64) -> [CompareAction] {
        var actions: [CompareAction] = []
        scanTimerFired(nowMs: nowMs, into: &actions)
        return actions
    }

    public mutating func checkpoint(nowMs: Int64) -> [CompareAction] {
        var actions: [CompareAction] = []
        checkpoint(nowMs: nowMs, into: &actions)
        return actions
    }

    public mutating func failover(nowMs: Int64) -> [CompareAction] {
        var actions: [CompareAction] = []
        failover(nowMs: nowMs, into: &actions)
        return actions
    }

    public mutating func delete(nowMs: Int64) -> [CompareAction] {
        var actions: [CompareAction] = []
        delete(nowMs: nowMs, into: &actions)
        return actions
    }

    public mutating func setPeerState(_ state: PeerState, for channel: CompareChannel) -> [CompareAction] {
        var actions: [CompareAction] = []
        setPeerState(state, for: channel, into: &actions)
        return actions
    }

    public mutating func outputStalled(on channel: CompareChannel, current: CompareWrite, unsent: [CompareWrite],
                                       fromQueue: Int) -> [CompareAction] {
        var actions: [CompareAction] = []
        outputStalled(on: channel, current: current, unsent: unsent, fromQueue: fromQueue, into: &actions)
        return actions
    }

    /// Every tracked connection in list order, with its queues head to tail.
    public var connectionSnapshots: [CompareConnectionSnapshot] {
        connections.map(CompareConnectionSnapshot.init)
    }

    public var queuedPrimaryCount: Int { connections.reduce(0) { $0 + $1.primary.count } }
    public var queuedSecondaryCount: Int { connections.reduce(0) { $0 + $1.secondary.count } }
    /// Records accepted by outdev's send queue but not yet written (peer blocked).
    public var pendingOutputCount: Int { sink.outdev.queuedCount }
    /// Records accepted by a channel's send queue but not yet written (peer blocked).
    public func pendingOutputCount(on channel: CompareChannel) -> Int { sink.queuedCount(channel) }
    /// Checkpoint requests raised so far (C-18).
    public var checkpointRequestCount: Int { sink.checkpointRequests }

    /// Whether records on each chardev carry the V field (W-1, W-4): the inputs, outdev and
    /// inbound notify_dev follow `vnet_hdr_support`; outbound notify_dev never does.
    public var framing: CompareFraming {
        var framing = CompareFraming(vnetHeaderSupport: configuration.vnetHeaderSupport)
        framing.outdevCarriesVnetField = sink.outdev.carriesVnetField
        return framing
    }

    /// `qom-set vnet_hdr_support` on the running compare: QEMU's setter only stores the flag.
    /// Its writer reads it at each record sent on outdev, so those change from the next one; its
    /// readers of primary_in and secondary_in were set up at completion and keep the old framing
    /// (W-12 appearing mid-run). `configuration` keeps the value the compare completed with.
    public mutating func setVnetHeaderSupport(_ value: Bool) {
        sink.outdev.carriesVnetField = value
    }
}

/// The V-field setting of each of the compare's chardevs (W-4 asymmetry).
public struct CompareFraming: Sendable, Hashable {
    public var primaryInCarriesVnetField: Bool
    public var secondaryInCarriesVnetField: Bool
    public var outdevCarriesVnetField: Bool
    public var notifyInboundCarriesVnetField: Bool
    public var notifyOutboundCarriesVnetField: Bool

    init(vnetHeaderSupport: Bool) {
        primaryInCarriesVnetField = vnetHeaderSupport
        secondaryInCarriesVnetField = vnetHeaderSupport
        outdevCarriesVnetField = vnetHeaderSupport
        notifyInboundCarriesVnetField = vnetHeaderSupport
        notifyOutboundCarriesVnetField = false
    }
}

/// A read-only view of one connection, for tests, reports and figures.
public struct CompareConnectionSnapshot: Sendable, Hashable {
    public var key: ConnectionKey
    /// Record indices, head to tail as QEMU's queues hold them.
    public var primaryQueue: [Int]
    public var secondaryQueue: [Int]
    public var compareSeq: UInt32
    public var primaryMaxAck: UInt32
    public var secondaryMaxAck: UInt32

    init(_ connection: CompareConnection) {
        key = connection.key
        primaryQueue = connection.primary.map(\.index)
        secondaryQueue = connection.secondary.map(\.index)
        compareSeq = connection.compareSeq
        primaryMaxAck = connection.primaryMaxAck
        secondaryMaxAck = connection.secondaryMaxAck
    }
}
