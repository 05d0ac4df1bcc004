import Fabric
import GuestStack
import Primary
import Secondary
import Deployment

/// Everything one COLO run simulates, assembled from a `COLORunConfiguration`: both QEMU
/// processes (`HostRuntime`), the chardev pipes between their objects, the host network with
/// the client, the COLO controller, the output-commit monitor and the run log — all driven by
/// one scheduler.
package final class COLOWorld {
    let configuration: COLORunConfiguration
    let scheduler: Scheduler
    package let log: RunLog
    let primary: HostRuntime
    let secondary: HostRuntime
    let lan: LanSegment
    let client: ClientMachine
    let controller: COLOController
    let monitor = OutputCommitMonitor()
    private(set) var pipes: [PipeLink] = []
    private(set) var secondaryHasTakenOver = false
    private(set) var workloadFinishedAt: VirtualTime?
    private(set) var captures: CaptureSet?
    /// Checkpoint requests from compares no COLO thread listens to (K-4), e.g. on the secondary.
    private(set) var unheardRequests = 0
    private var stopRequest: RunStopReason?
    private var progressWatch = ProgressWatch()
    /// Log entries written when a client connection first read a wrong body byte or failed
    /// (watched only when entries are kept or streamed to a sink, for the explained trace).
    private(set) var firstStreamProblemLogPosition: Int?

    deinit {
        // Timers still queued hold the components that hold the scheduler.
        scheduler.discardPendingEvents()
        // A run that ends with a host wedged in a blocked write (dead-input-wedges-secondary,
        // indev-disconnect-qemu72) keeps that write's suspended walk and the work waiting for the
        // main loop: both hold the net core that holds them (found by FuzzOrderings' leak check).
        for host in [primary, secondary] {
            for chardev in host.chardevs.values { chardev.discardBlockedWrites() }
            host.core.mainLoop.discardDeferredWork()
        }
    }

    package init(
        configuration: COLORunConfiguration, chooser: any Chooser, simultaneousOrder: SimultaneousEventOrder,
        outputs: RunOutputs
    ) throws(COLORunError) {
        try configuration.validate()
        self.configuration = configuration
        scheduler = Scheduler(chooser: chooser, simultaneousOrder: simultaneousOrder, eventBudget: configuration.watchdog.maxEvents)
        scheduler.traceSink = outputs.eventTrace
        log = RunLog(scheduler: scheduler, keepsAll: outputs.keepsFullLog, traceLine: outputs.traceLine, entrySink: outputs.entrySink)
        let topology = configuration.topology
        primary = try HostRuntime(role: .primary, configuration: topology.primary, run: configuration, scheduler: scheduler, log: log)
        secondary = try HostRuntime(role: .secondary, configuration: topology.secondary, run: configuration, scheduler: scheduler, log: log)
        lan = LanSegment(link: configuration.clientLink, scheduler: scheduler)
        client = ClientMachine(
            host: StackHost(stack: NetworkStack(configuration: configuration.clientStack),
                            applications: Self.clientApplications(configuration)),
            scheduler: scheduler, lan: lan)
        controller = COLOController(
            parameters: configuration.controller, scheduler: scheduler, log: log, primary: primary, secondary: secondary)

        try buildPipes()
        try primary.createObjects()
        try secondary.createObjects()
        try wireNetwork()
        wireCompares()
        if let directory = outputs.pcapDirectory {
            captures = try CaptureSet(directory: directory, world: self)
        }
        scheduleTimeline()
        scheduleWatchdog()
    }

    static func clientApplications(_ configuration: COLORunConfiguration) -> [any StackApplication] {
        var applications: [any StackApplication] = [ConnectionWorkload(configuration.workload)]
        if let queries = configuration.datagramQueries {
            applications.append(DatagramQueryClient(
                server: HostNetwork.guestAddress, port: queries.port, count: queries.count, interval: queries.interval,
                querySize: queries.querySize, responseSize: queries.responseSize, timeout: queries.timeout,
                maximumAttempts: queries.attempts))
        }
        if let outbound = configuration.guestWorkload {
            applications.append(RequestResponseServer(
                port: outbound.port, defaultResponseSize: outbound.responseSize, recording: outbound.recording))
        }
        return applications
    }

    func host(_ role: HostRole) -> HostRuntime {
        role == .primary ? primary : secondary
    }

    // MARK: Assembly

    private func buildPipes() throws(COLORunError) {
        let topology = configuration.topology
        let parameters = configuration.pipes
        for link in topology.links {
            let serverRoles = topology[link.server.host].frontends(ofChardev: link.server.chardev)
            let clientRoles = topology[link.client.host].frontends(ofChardev: link.client.chardev)
            let flow = PipeLink.direction(serverRoles: serverRoles, clientRoles: clientRoles)
            let writer: ChardevEndpoint
            let reader: ChardevEndpoint
            // One end writes, the other reads; an end without a frontend is silent (nothing is
            // ever written, or nothing ever read).
            let serverToClient = flow.serverWrites || flow.clientReads
            let clientToServer = flow.clientWrites || flow.serverReads
            if serverToClient && clientToServer {
                throw .unsupported(host: "\(link.server.host)", what: "chardev socket \(link) carrying records both ways")
            } else if serverToClient {
                (writer, reader) = (link.server, link.client)
            } else if clientToServer {
                (writer, reader) = (link.client, link.server)
            } else {
                continue
            }
            guard let writerPort = host(writer.host).chardevs[writer.chardev],
                  let readerPort = host(reader.host).chardevs[reader.chardev] else { continue }
            let pipe = ChardevPipe(
                ChardevPipeConfiguration(
                    writerID: writer.chardev, readerID: reader.chardev,
                    readerVnetHeaderSupport: topology[reader.host].readerExpectsVnetField(chardev: reader.chardev),
                    framingProfile: configuration.profiles.framing,
                    baseLatency: link.crossesHosts ? parameters.crossHostLatency : parameters.intraHostLatency,
                    maxJitter: parameters.jitter, splitsChunks: parameters.splitsChunks, capacity: parameters.capacity,
                    mutant: configuration.mutant),
                scheduler: scheduler)
            writerPort.outgoing = pipe
            readerPort.incoming = pipe
            pipes.append(PipeLink(writer: writer, reader: reader, pipe: pipe, writerPort: writerPort, readerPort: readerPort))
        }
    }

    private func wireNetwork() throws(COLORunError) {
        for role in HostRole.allCases {
            guard let tap = host(role).serviceTap else {
                throw .unsupported(host: role.rawValue, what: "a guest NIC whose peer is not a tap")
            }
            lan.attach(tap, for: role)
            tap.onDelivered = { [unowned self] frame in
                if role == .primary {
                    monitor.primaryTapSent(frame, at: scheduler.now, logPosition: log.entryCount)
                } else {
                    monitor.secondaryTapSent(
                        frame, at: scheduler.now, secondaryHasTakenOver: secondaryHasTakenOver, logPosition: log.entryCount)
                }
            }
        }
        // The client and the log hold no reference back to the LAN's closures, so capturing
        // them strongly makes no cycle and spares an unowned check on every frame.
        lan.deliverToClient = { [client] frame in client.receive(frame) }
        if log.keepsAll || log.entrySink != nil {
            client.onStreamProblem = { [unowned self] in firstStreamProblemLogPosition = log.entryCount }
        }
        lan.onEvent = { [log] event in log.lan(event) }
        client.onFinished = { [unowned self] in
            workloadFinishedAt = scheduler.now
            if configuration.endsWhenWorkloadCompletes {
                scheduler.schedule(after: configuration.settleTime, "run settle") { [unowned self] in
                    stopRequest = stopRequest ?? .workloadCompleted
                }
            }
        }
        controller.onSecondaryTakeover = { [unowned self] in
            secondaryHasTakenOver = true
            lan.setActiveTap(.secondary)
        }
        controller.onTeardownFinished = { [unowned self] in monitor.stopChecking() }
    }

    private func wireCompares() {
        for node in primary.compares {
            let slot = monitor.addCompare()
            let id = node.id
            node.onWrite = { [unowned self] frame in monitor.released(frame, by: slot) }
            node.onCheckpointRequest = { [unowned self] request in
                controller.request(.compare(object: id, request: request))
            }
        }
        for node in secondary.compares {
            node.onCheckpointRequest = { [unowned self] _ in unheardRequests += 1 }
        }
    }

    // MARK: Timeline

    private func scheduleTimeline() {
        // Windows are drawn here, once per run, in timeline order, before the first event runs.
        for (index, event) in configuration.timeline.enumerated() {
            let action = event.action
            let instant = event.instant(index: index, chooser: scheduler.chooser)
            scheduler.schedule(at: VirtualTime.zero + instant, EventLabel("timeline \(action.token)")) { [unowned self] in
                apply(action)
            }
        }
    }

    private func apply(_ action: TimelineAction) {
        log.controller(.timeline(action))
        switch action {
        case .losePrimary: lose(.primary)
        case .loseSecondary: lose(.secondary)
        case .divergeSecondaryResponses(let count): secondary.guest.divergeResponses(count: count)
        case let .setGuestKnobs(role, knobs): host(role).guest.setKnobs(knobs)
        case let .stallGuest(role, duration): host(role).guest.stall(until: scheduler.now + duration)
        case .setCheckpointDelay(let delay): controller.setCheckpointDelay(delay)
        case let .chardevFault(chardev, fault):
            for link in pipes where link.writer.chardev == chardev || link.reader.chardev == chardev {
                link.pipe.injectFault(fault)
            }
        case let .disconnectChardev(chardev, duration):
            for link in pipes where link.writer.chardev == chardev || link.reader.chardev == chardev {
                link.pipe.disconnect(.reset)
                scheduler.schedule(after: duration, EventLabel("chardev \(chardev) reconnect")) { [unowned self] in
                    guard host(link.writer.host).isAlive, host(link.reader.host).isAlive else { return }
                    link.pipe.connect()
                    log.controller(.chardevReconnected(chardev))
                }
            }
        case let .injectFrames(guests, kind, count):
            for role in guests { host(role).guest.inject(kind, count: count) }
        case let .setVnetHeaderSupport(object, value):
            // qom-set is a QMP command: it waits for a wedged main loop.
            for role in [HostRole.primary, .secondary] where host(role).isAlive {
                let runtime = host(role)
                runtime.mainLoop.run { runtime.setVnetHeaderSupport(object: object, value) }
            }
        case let .setCompareProperty(property, value):
            // The value was checked with QEMU's parser when the configuration was validated.
            primary.mainLoop.run { [primary] in
                for node in primary.compares where node.isRunning {
                    try? node.setProperty(property, value)
                }
            }
        }
    }

    /// A host is gone: its components stop; sockets it read from lose what was in flight,
    /// sockets it wrote to still deliver what was already sent.
    private func lose(_ role: HostRole) {
        let lost = host(role)
        guard lost.isAlive else { return }
        lost.kill()
        for link in pipes where link.writer.host == role || link.reader.host == role {
            link.pipe.disconnect(link.reader.host == role ? .reset : .writerClosed)
        }
        if role == .primary { controller.primaryLost() } else { controller.secondaryLost() }
    }

    // MARK: Running

    private func scheduleWatchdog() {
        guard configuration.watchdog.progressTimeout != nil else { return }
        scheduler.schedule(after: .seconds(1), "watchdog") { [unowned self] in watch() }
    }

    private func watch() {
        guard let timeout = configuration.watchdog.progressTimeout, workloadFinishedAt == nil else { return }
        if let since = progressWatch.stalledSince(bytes: client.applicationBytes, now: scheduler.now, timeout: timeout) {
            stopRequest = stopRequest ?? .noProgress(since: since)
            log.controller(.watchdog("the workload moved no byte since \(since)"))
            return
        }
        scheduler.schedule(after: .seconds(1), "watchdog") { [unowned self] in watch() }
    }

    /// Runs until the duration, the end of the workload (when asked), or a watchdog stop;
    /// `loss` takes a host down between two events.
    package func run(losing loss: HostLossAtEvent? = nil) -> RunStopReason {
        scheduler.schedule(at: .zero, "colo start") { [unowned self] in
            controller.start()
            primary.guest.start()
            secondary.guest.start()
            client.start()
        }
        for item in configuration.clientReplay {
            scheduler.schedule(at: VirtualTime.zero + item.at, EventLabel("client pcap replay")) { [unowned self] in
                client.replay(item.frame)
            }
        }
        let end = VirtualTime.zero + configuration.duration
        let perInstantLimit = configuration.watchdog.maxEventsPerInstant
        var instant = Int64.min
        var atInstant = 0
        while true {
            if let stopRequest { return stopRequest }
            guard let next = scheduler.nextEventTime else { return .idle }
            guard next <= end else {
                try? scheduler.run(until: end)
                return .durationReached
            }
            if next.nanoseconds == instant {
                atInstant += 1
                if atInstant >= perInstantLimit {
                    log.controller(.watchdog("\(atInstant) events at \(next) without time advancing"))
                    return .stuckAtInstant(next, events: atInstant)
                }
            } else {
                instant = next.nanoseconds
                atInstant = 0
            }
            do {
                try scheduler.step()
                if let loss, scheduler.executedEvents == loss.afterEvents {
                    apply(loss.role == .primary ? .losePrimary : .loseSecondary)
                }
            } catch {
                switch error {
                case .budgetExhausted(let budget, _):
                    log.controller(.watchdog("event budget of \(budget) spent"))
                    return .eventBudgetExhausted(budget)
                default:
                    return .schedulerFailure(error.description)
                }
            }
        }
    }
}

/// Where a run's outputs go besides its report.
public struct RunOutputs {
    /// Receives every log entry as one JSON line (`--trace`).
    public var traceLine: ((String) -> Void)?
    /// Writes one pcap per link into this directory (`--pcap-dir`).
    public var pcapDirectory: String?
    /// Keeps every log entry in the report (tests, the teaching views, `releases:`
    /// expectations; memory grows with the run).
    public var keepsFullLog = false
    /// Receives every log entry, in order, as it is recorded: consumers that keep only what they
    /// need (`lockstep replay`'s trace window and violation index), so memory stays bounded.
    public var entrySink: ((RunLogEntry) -> Void)?
    /// Receives every executed scheduler event: its index, instant and label (the failover
    /// sweep names its points with them).
    public var eventTrace: (any TraceSink)?

    public init(traceLine: ((String) -> Void)? = nil, pcapDirectory: String? = nil, keepsFullLog: Bool = false) {
        self.traceLine = traceLine
        self.pcapDirectory = pcapDirectory
        self.keepsFullLog = keepsFullLog
    }
}
