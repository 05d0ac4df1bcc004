import Fabric
import Primary
import Deployment
import COLORuntime

/// A scenario's timeline on real QEMU: guest actions go to Lockstep's guests, the rest to QEMU
/// (QMP `migrate-set-parameters`, `qom-set`, a killed process) or to the chardev relays (faults
/// and resets). Host loss is SIGKILL; failover is `x-colo-lost-heartbeat` on the survivor after
/// the configured delay, and on the primary the documented teardown follows (`object-del` of
/// the compares, mirrors, then redirectors).
extension RealWorld {
    func scheduleTimeline() {
        for (position, event) in configuration.timeline.enumerated() {
            let action = event.action
            let instant = event.instant(index: position, chooser: scheduler.chooser)
            scheduler.schedule(at: VirtualTime.zero + instant, EventLabel("timeline \(action.token)")) { [unowned self] in
                apply(action)
            }
        }
    }

    func apply(_ action: TimelineAction) {
        log.controller(.timeline(action))
        if side.applyToGuests(action) { return }
        switch action {
        case .losePrimary: lose(.primary)
        case .loseSecondary: lose(.secondary)
        case .setCheckpointDelay(let delay):
            guard coloRunning, alive[0] else { return }
            send(.primary, "migrate-set-parameters", ["x-checkpoint-delay": Self.checkpointDelayMilliseconds(delay)])
            requested(.delayChanged, at: scheduler.now)
        case let .chardevFault(chardev, fault):
            for relay in relays where relay.involves(chardev: chardev) { relay.inject(fault) }
        case let .disconnectChardev(chardev, duration):
            for relay in relays where relay.involves(chardev: chardev) { relay.disconnect(for: duration) }
        case let .setCompareProperty(property, value):
            for compare in compares {
                send(.primary, "qom-set", ["path": "/objects/\(compare.id)", "property": property.rawValue, "value": value])
                compare.setProperty(property, value)
            }
        case let .setVnetHeaderSupport(object, value):
            for role in HostRole.allCases where alive[index(role)] && configuration.topology[role].object(object) != nil {
                send(role, "qom-set", ["path": "/objects/\(object)", "property": "vnet_hdr_support", "value": value])
                for relay in relays where relay.plan.writer?.host == role {
                    let writer = configuration.topology[role].frontends(ofChardev: relay.plan.writer?.chardev ?? "")
                    if writer.contains(where: { $0.writes && $0.ownerID == object }) { relay.writerFramingChanged(withVnetField: value) }
                }
            }
        case .divergeSecondaryResponses, .setGuestKnobs, .stallGuest, .injectFrames:
            break
        }
    }

    /// A QMP command during the run: its refusal ends the run (the scenario asked for something
    /// this QEMU will not do).
    func send(_ role: HostRole, _ command: String, _ arguments: [String: Any]? = nil, then: @escaping () -> Void = {}) {
        guard let channel = qmp[index(role)], alive[index(role)] else { return }
        channel.execute(command, arguments, at: scheduler.now) { [unowned self] reply in
            switch reply {
            case .success: then()
            case .failure(let message): fail(.commandRefused(host: role.rawValue, command: command, reply: message))
            }
        }
    }

    // MARK: Host loss and failover

    /// The host is gone: its QEMU is killed; the checkpoint under way, if any, is abandoned.
    func lose(_ role: HostRole) {
        guard alive[index(role)] else { return }
        alive[index(role)] = false
        children[index(role)]?.kill()
        side.hostLost(role)
        log.controller(.hostLost(role))
        if let checkpoint = inCheckpoint {
            records[checkpoint.record].outcome = .aborted("\(role) lost")
            inCheckpoint = nil
        }
        coloRunning = false
        let survivor: HostRole = role == .primary ? .secondary : .primary
        scheduler.schedule(after: configuration.controller.failoverDelay, EventLabel("\(survivor) failover command")) { [unowned self] in
            failover(survivor)
        }
    }

    /// K-10 / K-11 on real QEMU: `x-colo-lost-heartbeat` on the survivor.
    private func failover(_ role: HostRole) {
        guard alive[index(role)] else { return }
        send(role, "x-colo-lost-heartbeat") { [unowned self] in
            secondaryNICHeld = false
            side.resumeGuest(role)
            if role == .secondary {
                secondaryFailedOver = true
                log.controller(.failover(.secondary, detail: "x-colo-lost-heartbeat: filters notified"))
                side.secondaryTookOver()
            } else {
                log.controller(.failover(.primary, detail: "COLO stopped"))
                log.controller(.coloExited(reason: "secondary lost"))
                if configuration.controller.runsDocumentedTeardown { teardown() }
            }
        }
    }

    /// The documented teardown after a primary failover, one `object-del` per step.
    private func teardown() {
        let steps = Self.teardownSteps(configuration.topology.primary)
        for (offset, step) in steps.enumerated() {
            let delay = VirtualDuration(nanoseconds: configuration.controller.operatorStepDelay.nanoseconds * Int64(offset + 1))
            scheduler.schedule(after: delay, EventLabel("teardown \(step.objectID)")) { [unowned self] in
                guard alive[0], let channel = qmp[0] else { return }
                channel.execute("object-del", ["id": step.objectID], at: scheduler.now) { [unowned self] reply in
                    if case .failure(let message) = reply {
                        log.controller(.teardown("\(step): \(message)"))
                    } else {
                        log.controller(.teardown(step.description))
                    }
                    if offset == steps.count - 1 { side.comparesTornDown() }
                }
            }
        }
    }

    /// Every compare, then mirrors, then redirectors, in command-line order.
    static func teardownSteps(_ host: HostConfiguration) -> [PrimaryTeardown.Step] {
        host.compares.map { .deleteCompare($0.id) }
            + host.filters.filter { $0.kind == .mirror }.map { .deleteFilter($0.id) }
            + host.filters.filter { $0.kind == .redirector }.map { .deleteFilter($0.id) }
    }

    /// The migration stream ended: expected after a host loss; otherwise that QEMU's COLO
    /// thread gave up, which the health check reports with its stderr if the process died.
    func migrationClosed(by role: HostRole) {
        guard alive[0], alive[1], coloRunning else { return }
        coloRunning = false
        log.controller(.coloExited(reason: "the migration stream closed on the \(role)'s side"))
    }

    // MARK: Faults and liveness

    func schedule(_ faults: [QEMUFault]) {
        for fault in faults {
            scheduler.schedule(at: VirtualTime.zero + fault.at, EventLabel("fault \(fault.kind) \(fault.host)")) { [unowned self] in
                children[index(fault.host)]?.send(signal: fault.signal)
            }
        }
    }

    /// Every second each live QEMU is asked `query-status`: one that stops answering is hung
    /// (the check in RealWorld+Loop sees the reply overdue), even when nothing else waits on it.
    func scheduleHeartbeat() {
        scheduler.schedule(after: .seconds(1), "qemu heartbeat") { [unowned self] in
            for role in HostRole.allCases where alive[index(role)] && qmp[index(role)]?.oldestWaiting == nil {
                qmp[index(role)]?.execute("query-status", at: scheduler.now)
            }
            scheduleHeartbeat()
        }
    }

    // MARK: Watchdog

    func scheduleWatchdog() {
        guard configuration.watchdog.progressTimeout != nil else { return }
        scheduler.schedule(after: .seconds(1), "watchdog") { [unowned self] in watch() }
    }

    private func watch() {
        guard let timeout = configuration.watchdog.progressTimeout, side.workloadFinishedAt == nil else { return }
        let bytes = side.clientApplicationBytes
        if bytes != lastProgress.bytes {
            lastProgress = (bytes, scheduler.now)
        } else if scheduler.now - lastProgress.at >= timeout {
            stopRequest = stopRequest ?? .noProgress(since: lastProgress.at)
            log.controller(.watchdog("the workload moved no byte since \(lastProgress.at)"))
            return
        }
        scheduler.schedule(after: .seconds(1), "watchdog") { [unowned self] in watch() }
    }

    // MARK: Running

    /// Runs from COLO start until the duration, the end of the workload (when asked), a
    /// watchdog stop, or a QEMU failure.
    func run() -> RunStopReason {
        runStarted = true
        scheduler.schedule(at: .zero, "colo start") { [unowned self] in
            log.controller(.coloStarted(checkpointDelay: configuration.controller.checkpointDelay))
            side.start()
        }
        for item in configuration.clientReplay {
            scheduler.schedule(at: VirtualTime.zero + item.at, EventLabel("client pcap replay")) { [unowned self] in
                side.replayClientFrame(item.frame)
            }
        }
        scheduleTimeline()
        scheduleWatchdog()
        scheduleHeartbeat()
        let end = VirtualTime.zero + configuration.duration
        while true {
            if let stopRequest { return stopRequest }
            if BackendInterrupt.isRequested {
                log.controller(.watchdog("interrupted"))
                return .backendFailed("interrupted by a signal; both QEMUs were killed")
            }
            let now = clock.now
            if now >= end {
                advanceScheduler()
                return .durationReached
            }
            turn(maxWait: min(.milliseconds(20), end - now))
            checkHealth(during: "the run")
        }
    }
}
