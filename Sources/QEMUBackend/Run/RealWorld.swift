import Glibc
import Fabric
import Primary
import Deployment
import COLORuntime

/// One run on real QEMU, assembled: the plan of both command lines and their sockets, the two
/// QEMU processes with their QMP channels and stderr traces, Lockstep's relays on every chardev
/// link and on the migration stream, the datagram ends of both hosts, and Lockstep's own side
/// (client, host network, guests). A real-time loop (`RealWorld+Loop`) drives it all; the
/// checkpoint cycle is read off the migration relay (`+Checkpoint`), the timeline acts on QEMU
/// through QMP and the relays (`+Timeline`), and the report is built as an emulated run's is
/// (`+Report`).
final class RealWorld {
    let configuration: COLORunConfiguration
    let binary: QEMUBinary
    let limits: QEMURunLimits
    let plan: RealTopologyPlan
    let scheduler: Scheduler
    let log: RunLog
    var clock = WallClock()
    let side: LockstepSide
    let ends: [(tap: DatagramEnd, nic: DatagramEnd)]
    private(set) var relays: [ChardevRelay] = []
    let migration: MigrationRelay
    private(set) var compares: [CompareObserver] = []
    var children: [QEMUChild?] = [nil, nil]
    var qmp: [QMPChannel?] = [nil, nil]
    var traces: [TraceTail] = []
    var alive = [true, true]
    var stopRequest: RunStopReason?
    var failure: QEMUBackendError?
    let captures: RealCaptures?

    // The checkpoint cycle as observed (RealWorld+Checkpoint).
    var records: [CheckpointRecord] = []
    var inCheckpoint: (record: Int, since: VirtualTime, flushedAt: VirtualTime?, releasesBefore: Int)?
    var pendingRequests: [(time: VirtualTime, trigger: CheckpointTrigger)] = []
    /// When QEMU's x-checkpoint-delay timer was last re-armed, as far as Lockstep saw (K-2).
    var lastTimerArm = VirtualTime.zero
    /// While the secondary is stopped for a checkpoint its NIC end is left unread: what is there
    /// afterwards was sent after it resumed, for the loaded guest.
    var secondaryNICHeld = false
    var coloRunning = false
    /// Set when run time starts (COLO is up); start-up does not move the scheduler.
    var runStarted = false
    var secondaryFailedOver = false
    var lastProgress = (bytes: 0, at: VirtualTime.zero)

    init(configuration: COLORunConfiguration, binary: QEMUBinary, limits: QEMURunLimits, directory: String,
         outputs: RunOutputs) throws(QEMUBackendError) {
        self.configuration = configuration
        self.binary = binary
        self.limits = limits
        let plan = try RealTopologyPlan(topology: configuration.topology, directory: directory, traceEvents: Self.traceEvents)
        self.plan = plan
        let scheduler = Scheduler(chooser: SeededChooser(seed: configuration.seed), eventBudget: configuration.watchdog.maxEvents)
        self.scheduler = scheduler
        let log = RunLog(scheduler: scheduler, keepsAll: outputs.keepsFullLog, traceLine: outputs.traceLine)
        self.log = log
        let ends: [(tap: DatagramEnd, nic: DatagramEnd)]
        do {
            ends = try HostRole.allCases.map { role throws(BackendSocketError) in
                let host = plan[role]
                return (try DatagramEnd(localPath: host.tapEnd.local, remotePath: host.tapEnd.remote),
                        try DatagramEnd(localPath: host.nicEnd.local, remotePath: host.nicEnd.remote))
            }
            migration = try MigrationRelay(listenPath: plan.migrationRelayPath, incomingPath: plan.incomingPath)
        } catch {
            throw .setup(error.description)
        }
        self.ends = ends
        do {
            side = try LockstepSide(
                configuration: configuration, scheduler: scheduler, log: log, netdevName: RealTopologyPlan.guestNetdevID
            ) { role, end, frame in
                let pair = ends[role == .primary ? 0 : 1]
                (end == .tap ? pair.tap : pair.nic).send(frame.bytes)
            }
        } catch {
            throw .unsupportedTopology(error.description)
        }
        captures = try outputs.pcapDirectory.map { directory throws(QEMUBackendError) in try RealCaptures(directory: directory) }
        traces = HostRole.allCases.map { TraceTail(path: plan[$0].stderrPath) }
        try buildRelays()
        try buildCompares()
        wireSide()
    }

    /// The trace events the backend reads: the compare's requests and drops, the rewriter's
    /// offsets, and COLO's own messages (for the log only).
    static let traceEvents = [
        "colo_compare_main", "colo_compare_drop_packet", "colo_old_packet_check_found",
        "colo_compare_udp_miscompare", "colo_compare_icmp_miscompare", "colo_filter_rewriter_conn_offset",
    ]

    func index(_ role: HostRole) -> Int { role == .primary ? 0 : 1 }

    private func buildRelays() throws(QEMUBackendError) {
        for relayPlan in plan.relays {
            do {
                let relay = try ChardevRelay(plan: relayPlan, scheduler: scheduler, splitsChunks: configuration.pipes.splitsChunks)
                relays.append(relay)
            } catch {
                throw .setup(error.description)
            }
        }
    }

    /// Each compare's relays: primary_in and secondary_in feed its shadow, outdev carries its
    /// releases (to the output-commit monitor and the log, as the reading filter injects them).
    private func buildCompares() throws(QEMUBackendError) {
        let primary = configuration.topology.primary
        for compare in primary.compares {
            let outputRelay = relays.first { $0.plan.writer == ChardevEndpoint(host: .primary, chardev: compare.outdev ?? "") }
            let reader = outputRelay?.plan.reader.flatMap { endpoint in
                configuration.topology[endpoint.host].frontends(ofChardev: endpoint.chardev).first { $0.reads }?.ownerID
            }
            let observer = try CompareObserver(
                configuration: compare, monitorSlot: side.addCompare(), outputReader: reader,
                outputNetdev: reader.flatMap { primary.filter($0)?.netdev })
            compares.append(observer)
            let log = log, scheduler = scheduler, side = side, captures = captures
            for relay in relays where relay.plan.reader == ChardevEndpoint(host: .primary, chardev: compare.primaryIn ?? "") {
                relay.onReaderFrame = { frame in observer.primaryRecord(frame, at: scheduler.now, log: log) }
                relay.onReaderFramingError = { _ in observer.inputFramingError() }
            }
            for relay in relays where relay.plan.reader == ChardevEndpoint(host: .primary, chardev: compare.secondaryIn ?? "") {
                relay.onReaderFrame = { frame in observer.secondaryRecord(frame, at: scheduler.now, log: log) }
                relay.onReaderFramingError = { _ in observer.inputFramingError() }
            }
            if let outputRelay {
                var walks = 0
                let netdev = observer.outputNetdev
                outputRelay.onRecord = { frame in
                    observer.released(frame)
                    side.compareReleased(frame, slot: observer.monitorSlot)
                    captures?.write(frame, to: "compare-\(observer.id)-out", at: scheduler.now)
                    walks += 1
                    log.net(.injectionStarted(WalkID(walks), filter: reader ?? "outdev", nominalSender: netdev, direction: nil, frame: frame),
                            host: .primary)
                }
            }
        }
        for relay in relays where relay.onRecord == nil {
            let name = "pipe-\(relay.name)", scheduler = scheduler, captures = captures
            relay.onRecord = { frame in captures?.write(frame, to: name, at: scheduler.now) }
        }
        for relay in relays {
            let chardev = relay.plan.link.client.chardev, log = log
            relay.onReconnected = { log.controller(.chardevReconnected(chardev)) }
        }
    }

    private func wireSide() {
        side.onWorkloadFinished = { [unowned self] in
            guard configuration.endsWhenWorkloadCompletes else { return }
            scheduler.schedule(after: configuration.settleTime, "run settle") { [unowned self] in
                stopRequest = stopRequest ?? .workloadCompleted
            }
        }
        if let captures { side.observeFrames(captures.sideObserver(scheduler: scheduler)) }
        migration.onReturnMessage = { [unowned self] message in returnMessage(message) }
        migration.onUnknownMessage = { [unowned self] number in
            fail(.crashed(host: "secondary", status: "running", during: "COLO sent an unknown message \(number) on the return path", stderr: ""))
        }
        migration.onClosed = { [unowned self] host in migrationClosed(by: host) }
    }

    /// Ends the run with the backend's failure (kept for the report's stop reason).
    func fail(_ error: QEMUBackendError) {
        failure = failure ?? error
        stopRequest = stopRequest ?? .backendFailed(error.description)
    }

    /// Kills and reaps both QEMUs and closes every socket; idempotent.
    func shutDown() {
        for child in children { child?.kill() }
        for relay in relays { relay.close() }
        migration.close()
        for pair in ends {
            pair.tap.close()
            pair.nic.close()
        }
        for channel in qmp { channel?.connection.close() }
    }

    deinit { shutDown() }
}
