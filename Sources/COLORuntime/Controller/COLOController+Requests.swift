import Fabric

/// K-1 … K-3: requests, the checkpoint event and the `x-checkpoint-delay` timer.
extension COLOController {
    func request(_ trigger: CheckpointTrigger) {
        guard primary.isAlive else {
            requestsIgnored += 1
            return
        }
        switch state {
        case .exited:
            requestsIgnored += 1
            return
        case .idle(let event):
            log.controller(.checkpointRequested(trigger, coalesced: event != nil))
            state = .idle(event: .taking(trigger, at: scheduler.now, into: event))
            rearmTimer()
            after(.zero, "wake") { [unowned self] in self.beginIfWanted() }
        case .checkpointing(var checkpoint):
            switch checkpoint.primary {
            case .awaitingReply, .awaitingReceived, .loadedBeforeReceived:
                log.controller(.checkpointRequested(trigger, coalesced: true))
                records[checkpoint.record].absorbedRequests += 1
            case .flushed(let next):
                log.controller(.checkpointRequested(trigger, coalesced: next != nil))
                checkpoint.primary = .flushed(next: .taking(trigger, at: scheduler.now, into: next))
                state = .checkpointing(checkpoint)
            }
            rearmTimer()
        }
    }

    /// K-2: a changed delay applies at once and, while COLO runs, requests a checkpoint.
    func setCheckpointDelay(_ delay: VirtualDuration) {
        checkpointDelay = delay
        request(.delayChanged)
    }

    func rearmTimer() {
        if let timer { scheduler.cancel(timer) }
        timer = scheduler.scheduleTimer(after: checkpointDelay, EventLabel("colo checkpoint timer")) { [unowned self] in
            self.timer = nil
            self.request(.periodic)
        }
    }

    /// The COLO thread wakes: a set event starts the next checkpoint.
    func beginIfWanted() {
        guard primary.isAlive, case .idle(let event?) = state else { return }
        let number = records.count + 1
        records.append(CheckpointRecord(
            number: number, trigger: event.trigger, requestedAt: event.requestedAt, absorbedRequests: event.requests - 1,
            startedAt: scheduler.now))
        state = .checkpointing(Checkpoint(number: number, record: records.count - 1, primary: .awaitingReply, secondary: .running))
        log.controller(.checkpointStarted(number: number, trigger: event.trigger))
        // K-5.1: CHECKPOINT_REQUEST.
        after(latency, "request \(number) at secondary") { [unowned self] in self.secondaryGotRequest(number) }
    }
}
