import Fabric
import Primary
import Deployment
import COLORuntime

/// The run itself: COLO start at run time zero, the timeline, faults played on purpose, a QMP
/// heartbeat, the progress watchdog, and the loop until the run ends.
extension RealWorld {
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
