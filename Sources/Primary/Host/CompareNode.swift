import Fabric

/// colo-compare as an object of one QEMU process: the sans-I/O engine wired to its chardevs and
/// to the process's clock.
///
/// Records decoded on `primary_in` and `secondary_in` go to the engine with the host clock read
/// in milliseconds (QEMU_CLOCK_HOST keeps running while the VM is stopped); records the engine
/// releases are framed (W-1, W-4) and written on `outdev`. The timeout scan (C-19) runs as a
/// scheduler timer at the engine's `nextScanDeadlineMs`. A checkpoint request (C-18) goes to
/// `onCheckpointRequest` together with the decision event that explains it, for the COLO
/// framework (K-2).
public final class CompareNode {
    public let id: String
    public private(set) var engine: COLOCompare
    public private(set) var counters = CompareNodeCounters()
    /// Every decision, in order.
    public var onEvent: ((CompareDecision) -> Void)?
    /// Every record handed to outdev (before framing), in write order.
    public var onWrite: ((Frame) -> Void)?
    /// The engine asked the local listeners for a checkpoint; the argument is the request event
    /// of the same step (nil only if the engine reported none, which it always does).
    public var onCheckpointRequest: ((CompareCheckpointRequest?) -> Void)?

    private let scheduler: Scheduler
    private let primaryIn: SocketChardev
    private let secondaryIn: SocketChardev
    private let outdev: SocketChardev
    private var actions: [CompareAction] = []
    private var scanTimer: TimerHandle?
    private let scanLabel: EventLabel
    /// False once deleted or once its process is gone.
    public private(set) var isRunning = true

    /// Attaches the three chardevs (C-1 steps 4–6, in QEMU's order) and arms the scan timer.
    public init(
        id: String,
        configuration: COLOCompare.Configuration,
        process: CompareProcess,
        scheduler: Scheduler,
        primaryIn: SocketChardev,
        secondaryIn: SocketChardev,
        outdev: SocketChardev
    ) throws(ChardevAttachError) {
        self.id = id
        self.scheduler = scheduler
        self.primaryIn = primaryIn
        self.secondaryIn = secondaryIn
        self.outdev = outdev
        scanLabel = EventLabel("compare \(id) scan")
        try primaryIn.attachFrontend(owner: id)
        try secondaryIn.attachFrontend(owner: id)
        try outdev.attachFrontend(owner: id)
        engine = COLOCompare(configuration: configuration, process: process, nowMs: scheduler.now.milliseconds)
        // W-10: a framing error ends reading of that input for good.
        primaryIn.setFrontendHandlers(ChardevFrontendHandlers(
            read: { [unowned self] frame in self.receivePrimary(frame) },
            framingError: { [unowned self] _ in self.counters.framingErrors += 1 }))
        secondaryIn.setFrontendHandlers(ChardevFrontendHandlers(
            read: { [unowned self] frame in self.receiveSecondary(frame) },
            framingError: { [unowned self] _ in self.counters.framingErrors += 1 }))
        armScanTimer()
    }

    private var nowMs: Int64 { scheduler.now.milliseconds }

    // MARK: Inputs

    private func receivePrimary(_ frame: Frame) {
        guard isRunning else {
            counters.recordsAfterStop += 1
            return
        }
        counters.primaryRecords += 1
        engine.receivePrimary(frame, nowMs: nowMs, into: &actions)
        perform()
    }

    private func receiveSecondary(_ frame: Frame) {
        guard isRunning else {
            counters.recordsAfterStop += 1
            return
        }
        counters.secondaryRecords += 1
        engine.receiveSecondary(frame, nowMs: nowMs, into: &actions)
        perform()
    }

    // MARK: COLO events and lifetime

    /// C-20: the checkpoint event (K-5 step 8). Returns how many primaries were released and
    /// secondaries dropped by the flush.
    @discardableResult
    public func checkpoint() -> (released: Int, dropped: Int) {
        guard isRunning else { return (0, 0) }
        let before = (counters.released, counters.secondaryDropped)
        counters.flushes += 1
        engine.checkpoint(nowMs: nowMs, into: &actions)
        perform()
        return (counters.released - before.0, counters.secondaryDropped - before.1)
    }

    /// C-28: deletion flushes every connection, then the compare stops reading. With QEMU's
    /// order outdev is detached first, so the flushed primaries (and output still queued) are
    /// lost, each counted as a failed write; `deliver` writes them. Returns how many primaries
    /// the flush released and how many of those were lost.
    @discardableResult
    public func delete(_ flush: CompareDeletionFlush = .qemu) -> (released: Int, lost: Int) {
        guard isRunning else { return (0, 0) }
        let before = (counters.released, counters.outdevWritesFailed)
        if flush == .qemu {
            outdev.abandonBlockedWrites()
            engine.setPeerState(.failing, for: .outdev, into: &actions)
            perform()
        }
        engine.delete(nowMs: nowMs, into: &actions)
        perform()
        stop()
        primaryIn.detachFrontend(owner: id)
        secondaryIn.detachFrontend(owner: id)
        outdev.detachFrontend(owner: id)
        return (counters.released - before.0, counters.outdevWritesFailed - before.1)
    }

    /// The process is gone: no timer, no reading, nothing written.
    public func stop() {
        isRunning = false
        if let scanTimer { scheduler.cancel(scanTimer) }
        scanTimer = nil
        primaryIn.setReadHandlers(installed: false)
        secondaryIn.setReadHandlers(installed: false)
    }

    // MARK: Actions

    /// Carries out the engine's actions. `drained` says the writes among them came from a drain
    /// of outdev's send queue (the engine puts them back there if one blocks, C-24).
    private func perform(drained: Bool = false) {
        var request: CompareCheckpointRequest?
        var requested = false
        var blocked: CompareWrite?
        var unsent: [CompareWrite] = []
        for action in actions {
            switch action {
            case .event(let event):
                count(event)
                if case .checkpointRequest(let made) = event { request = made }
                onEvent?(event)
            case .write(let write) where blocked != nil && write.channel == .outdev:
                unsent.append(write)
            case .write(let write):
                if !send(write) { blocked = write }
            case .requestCheckpoint:
                requested = true
            }
        }
        actions.removeAll(keepingCapacity: true)
        if let blocked {
            // C-23, C-24: the iothread's drain waits on this record; the rest go back to the
            // send queue, and come out when outdev's reader makes room.
            engine.outputStalled(on: .outdev, current: blocked, unsent: unsent, fromQueue: drained ? unsent.count : 0, into: &actions)
            outdev.whenBlockedWriteFinishes { [weak self] result in self?.blockedWriteFinished(result) }
            perform()
        }
        if requested {
            counters.checkpointRequestsForwarded += 1
            onCheckpointRequest?(request)
        }
    }

    /// The record the drain waited on went out (the queue drains on) or failed (C-25: it and
    /// everything queued is discarded; the next send starts afresh).
    private func blockedWriteFinished(_ result: ChardevWriteResult) {
        switch result {
        case .written, .blocked:
            counters.outdevRecordsWritten += 1
            engine.setPeerState(.writable, for: .outdev, into: &actions)
            perform(drained: true)
        case .failed:
            // The engine discards the held record with the queued ones, each a failed write.
            engine.setPeerState(.failing, for: .outdev, into: &actions)
            engine.setPeerState(.writable, for: .outdev, into: &actions)
            perform()
        }
    }

    /// Writes one record on outdev; false when the write blocks (the socket is full).
    private func send(_ write: CompareWrite) -> Bool {
        guard write.channel == .outdev else {
            // notify_dev (Xen COLO) is not wired by this node; the write is counted, not lost silently.
            counters.notifyWritesIgnored += 1
            return true
        }
        onWrite?(write.frame)
        let framed = RecordEncoder(vnetHeaderSupport: write.carriesVnetField)
        guard let record = try? framed.compareRecord(write.frame) else {
            counters.outdevWritesFailed += 1
            return true
        }
        switch outdev.writeBytes(record) {
        case .written: counters.outdevRecordsWritten += 1
        case .failed: counters.outdevWritesFailed += 1
        case .blocked: return false
        }
        return true
    }

    private func count(_ event: CompareDecision) {
        switch event {
        case .release(let release):
            counters.released += 1
            if case .unparseable = release.reason { counters.releasedUnparsed += 1 }
        case .drop(let drop) where drop.reason == .writeFailed:
            // A released primary whose write failed (C-25): counted with outdev's writes, the
            // release already counted it out of the queues.
            counters.outdevWritesFailed += 1
        case .drop(let drop):
            if drop.side == .primary { counters.primaryDropped += 1 } else { counters.secondaryDropped += 1 }
            if case .unparseable = drop.reason { counters.droppedUnparsed += 1 }
        case .checkpointRequest: counters.checkpointRequestEvents += 1
        case .flush, .notifyReceived: break
        }
    }

    // MARK: Run-time properties (qom-set)

    /// Sets `compare_timeout`, `expired_scan_cycle` or `max_queue_size` on the running compare.
    public func setProperty(_ property: CompareRuntimeProperty, _ value: UInt64) throws(COLOComparePropertyError) {
        switch property {
        case .compareTimeout: try engine.setCompareTimeout(value)
        case .expiredScanCycle: try engine.setExpiredScanCycle(value)
        case .maxQueueSize: try engine.process.setMaxQueueSize(value)
        }
    }

    /// `qom-set vnet_hdr_support`: changes the framing of the next records written on outdev.
    public func setVnetHeaderSupport(_ value: Bool) {
        engine.setVnetHeaderSupport(value)
    }

    // MARK: Scan timer (C-19)

    private func armScanTimer() {
        guard isRunning, let deadline = engine.nextScanDeadlineMs else { return }
        let at = max(VirtualTime.milliseconds(deadline), scheduler.now)
        scanTimer = scheduler.scheduleTimer(at: at, scanLabel) { [weak self] in self?.scanDue() }
    }

    private func scanDue() {
        guard isRunning else { return }
        counters.scans += 1
        engine.advanceTime(toMs: nowMs, into: &actions)
        perform()
        armScanTimer()
    }
}

/// Everything a compare node did, so that every record it read is accounted for:
/// `primaryRecords == released + primaryDropped + queued primaries` and likewise for the
/// secondary side; every release is written to outdev or counted as a failed write.
public struct CompareNodeCounters: Sendable, Hashable {
    public var primaryRecords = 0
    public var secondaryRecords = 0
    public var released = 0
    public var primaryDropped = 0
    public var secondaryDropped = 0
    public var checkpointRequestEvents = 0
    public var checkpointRequestsForwarded = 0
    public var flushes = 0
    public var scans = 0
    public var outdevRecordsWritten = 0
    public var outdevWritesFailed = 0
    public var notifyWritesIgnored = 0
    public var framingErrors = 0
    /// Of `released`: records forwarded uncompared because they do not parse (C-3: ARP, IPv6…).
    public var releasedUnparsed = 0
    /// Of the drops: records discarded uncompared because they do not parse (C-4).
    public var droppedUnparsed = 0
    /// Records decoded after the compare stopped (deleted, or its process gone).
    public var recordsAfterStop = 0
}
