import Fabric
import Primary

/// K-9 … K-11: a host lost, and the failover that follows on the other.
extension COLOController {
    func primaryLost() {
        log.controller(.hostLost(.primary))
        stopReplicating(abandoning: "primary lost")
        after(parameters.failoverDelay, "secondary failover command") { [unowned self] in self.secondaryFailoverRequested() }
    }

    func secondaryLost() {
        log.controller(.hostLost(.secondary))
        after(parameters.failoverDelay, "primary failover command") { [unowned self] in self.primaryFailover() }
    }

    /// The primary's COLO thread exits: the checkpoint under way is abandoned and the K-2 timer
    /// stops; the secondary stays where it was.
    private func stopReplicating(abandoning reason: String) {
        switch state {
        case .idle:
            state = .exited(secondary: .replicating(.running))
        case .checkpointing(let checkpoint):
            records[checkpoint.record].outcome = .aborted(reason)
            state = .exited(secondary: .replicating(checkpoint.secondary))
        case .exited:
            break
        }
        if let timer { scheduler.cancel(timer) }
        timer = nil
    }

    /// K-10: deferred while the secondary loads a checkpoint; a secondary still waiting for
    /// state gives up on it and resumes from its own state.
    private func secondaryFailoverRequested() {
        guard secondary.isAlive, case .exited(let secondaryState) = state else { return }
        switch secondaryState {
        case .replicating(.loading):
            state = .exited(secondary: .failoverAfterLoad)
        case .replicating(.awaitingState):
            log.controller(.checkpointAborted(number: records.last?.number ?? 0, reason: "primary lost before the state arrived; the secondary keeps its own state"))
            secondaryFailover()
        case .replicating(.running):
            secondaryFailover()
        case .failoverAfterLoad, .failedOver:
            break
        }
    }

    /// K-10: replication stops; every filter gets the failover event (redirectors off, the
    /// rewriter enters failover mode if no offset is set); the VM continues standalone and the
    /// network now reaches this host's tap.
    func secondaryFailover() {
        secondary.mainLoop.run { [unowned self] in secondaryFailsOver() }
    }

    private func secondaryFailsOver() {
        state = .exited(secondary: .failedOver)
        let wasRunning = secondary.isVMRunning
        secondary.stopVM()
        let error = secondary.notifyFilters(.failover)
        secondary.startVM()
        log.controller(.failover(.secondary, detail: error.map { "filters: \($0)" } ?? (wasRunning ? "filters notified" : "filters notified; VM resumed")))
        onSecondaryTakeover?()
    }

    /// K-11: the operator tears down the primary's COLO objects as documented, then runs
    /// `x-colo-lost-heartbeat`: the COLO thread exits (no filter or compare hears of it) and a VM
    /// that a checkpoint had stopped runs again. Until then the primary stays as the loss left it.
    /// `restartFirst` restarts the VM before the teardown instead (the order of earlier Lockstep
    /// runs).
    private func primaryFailover() {
        guard primary.isAlive else { return }
        if case .exited = state { return }
        let steps = parameters.runsDocumentedTeardown
            ? PrimaryTeardown.documentedSteps(
                compares: primary.compares.map(\.id), iothreads: primary.compareIOThreads,
                filters: primary.core.clients.flatMap(\.filters))
            : []
        switch parameters.primaryFailoverOrder {
        case .teardownFirst:
            runTeardown(steps) { [unowned self] in self.primaryLostHeartbeat() }
        case .restartFirst:
            primaryLostHeartbeat()
            runTeardown(steps) {}
        }
    }

    /// `x-colo-lost-heartbeat` on the primary (a QMP command: it waits for a wedged main loop):
    /// the COLO thread exits, the VM runs.
    private func primaryLostHeartbeat() {
        primary.mainLoop.run { [unowned self] in primaryExitsCOLO() }
    }

    private func primaryExitsCOLO() {
        guard primary.isAlive else { return }
        if case .exited = state { return }
        stopReplicating(abandoning: "secondary lost")
        log.controller(.failover(.primary, detail: "COLO stopped"))
        log.controller(.coloExited(reason: "secondary lost"))
        primary.startVM()
    }

    /// The documented `object-del` commands, `operatorStepDelay` apart; `then` after the last.
    private func runTeardown(_ steps: [PrimaryTeardown.Step], then: @escaping () -> Void) {
        guard !steps.isEmpty else {
            then()
            return
        }
        for (offset, step) in steps.enumerated() {
            let delay = VirtualDuration(nanoseconds: parameters.operatorStepDelay.nanoseconds * Int64(offset + 1))
            after(delay, "teardown \(step.objectID)") { [unowned self] in
                self.primary.mainLoop.run { [unowned self] in self.teardownStep(step, isLast: offset == steps.count - 1, then: then) }
            }
        }
    }

    /// One `object-del` (a QMP command: it waits for a wedged main loop).
    private func teardownStep(_ step: PrimaryTeardown.Step, isLast: Bool, then: () -> Void) {
        guard primary.isAlive else { return }
        let result = primary.deleteObject(step.objectID)
        var line = step.description
        if let error = result.error { line += ": \(error)" }
        if let note = result.note { line += " (\(note))" }
        log.controller(.teardown(line))
        if isLast {
            onTeardownFinished?()
            then()
        }
    }
}
