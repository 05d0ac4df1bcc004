import Fabric
import GuestStack
import Primary

/// The transaction: K-5 on the primary, K-7 on the secondary, one event per step.
extension COLOController {
    /// K-7.1: the secondary stops its VM and replies — once it has the big lock: a secondary
    /// whose main loop is wedged in a blocked write never replies, and checkpoints stop.
    func secondaryGotRequest(_ number: Int) {
        secondary.mainLoop.run { [unowned self] in secondaryStops(number) }
    }

    private func secondaryStops(_ number: Int) {
        guard secondary.isAlive, state.advanceSecondary(from: .running, to: .awaitingState) else { return }
        secondary.stopVM()
        log.controller(.secondaryStopped(number: number))
        after(latency, "reply \(number) at primary") { [unowned self] in self.primaryGotReply(number) }
    }

    /// K-5.2–K-5.5: the primary stops its VM (with the big lock, so after any blocked write
    /// of its main loop) and sends its state.
    func primaryGotReply(_ number: Int) {
        primary.mainLoop.run { [unowned self] in primaryStops(number) }
    }

    private func primaryStops(_ number: Int) {
        guard primary.isAlive, case .checkpointing(var checkpoint) = state, checkpoint.number == number,
              checkpoint.primary == .awaitingReply else { return }
        checkpoint.primary = .awaitingReceived
        state = .checkpointing(checkpoint)
        primary.stopVM()
        let now = StateCounters(primary.guest.host.stack.counters)
        let bytes = now.bytesChanged(since: lastStateCounters)
        lastStateCounters = now
        let transfer = parameters.transferDuration + .nanoseconds(parameters.transferNanosecondsPerByte * Int64(bytes))
            + scheduler.chooser.chooseDuration(Self.transferJitterPoint, upTo: parameters.transferJitter)
        records[checkpoint.record].primaryStoppedAt = scheduler.now
        records[checkpoint.record].stateBytes = bytes
        log.controller(.primaryStopped(number: number, stateBytes: bytes, transfer: transfer))
        after(transfer, "state \(number) at secondary") { [unowned self] in self.secondaryReceivedState(number) }
    }

    /// K-7.2: the whole state arrived — only if the primary lived to send all of it.
    func secondaryReceivedState(_ number: Int) {
        guard primary.isAlive, secondary.isAlive, state.advanceSecondary(from: .awaitingState, to: .loading) else { return }
        log.controller(.stateReceived(number: number))
        after(latency, "received \(number) at primary") { [unowned self] in self.primaryGotReceived(number) }
        after(parameters.loadDuration, "load \(number)") { [unowned self] in self.secondaryLoaded(number) }
    }

    /// K-5.7–K-5.8: clear the event, flush every compare (C-20, C-22). Releases wait in the
    /// stopped primary's tap queue (F-12).
    func primaryGotReceived(_ number: Int) {
        guard primary.isAlive, case .checkpointing(var checkpoint) = state, checkpoint.number == number else { return }
        let loadedFirst: GuestFingerprint?
        switch checkpoint.primary {
        case .awaitingReceived: loadedFirst = nil
        case .loadedBeforeReceived(let loaded): loadedFirst = loaded
        case .awaitingReply, .flushed: return
        }
        // Cleared before the flush: a request the flush raises is for the next checkpoint.
        checkpoint.primary = .flushed(next: nil)
        state = .checkpointing(checkpoint)
        var released = 0
        var dropped = 0
        for compare in primary.compares {
            let flush = compare.checkpoint()
            released += flush.released
            dropped += flush.dropped
        }
        records[checkpoint.record].flushedAt = scheduler.now
        records[checkpoint.record].released = released
        records[checkpoint.record].secondaryDropped = dropped
        log.controller(.comparesFlushed(number: number, released: released, secondaryDropped: dropped))
        if let loadedFirst { primaryRestart(number, loaded: loadedFirst) }
    }

    /// K-7.3–K-7.5: the secondary guest becomes the primary's copy, its filters hear the
    /// checkpoint (rewriter offsets := 0), its VM starts, VMSTATE_LOADED goes back, unless a
    /// failover waited for the load. All of it with the big lock.
    func secondaryLoaded(_ number: Int) {
        secondary.mainLoop.run { [unowned self] in secondaryLoads(number) }
    }

    private func secondaryLoads(_ number: Int) {
        guard secondary.isAlive else { return }
        let failsOver: Bool
        if case .exited(secondary: .failoverAfterLoad) = state {
            failsOver = true
        } else if state.advanceSecondary(from: .loading, to: .running) {
            failsOver = false
        } else {
            return
        }
        secondary.guest.load(from: primary.guest)
        let loaded = GuestFingerprint(secondary.guest)
        let equal = loaded == GuestFingerprint(primary.guest)
        if let index = records.firstIndex(where: { $0.number == number }) {
            records[index].secondaryLoadedAt = scheduler.now
            records[index].secondaryEqualsPrimary = equal
        }
        log.controller(.secondaryLoaded(number: number, equalsPrimary: equal))
        if let error = secondary.notifyFilters(.checkpoint) {
            log.controller(.checkpointAborted(number: number, reason: "secondary filters refused the checkpoint: \(error)"))
        }
        secondary.startVM()
        log.controller(.secondaryStarted(number: number))
        if failsOver {
            secondaryFailover()
            return
        }
        after(latency, "loaded \(number) at primary") { [unowned self] in self.primaryGotLoaded(number, loaded: loaded) }
    }

    /// K-5.9: VMSTATE_LOADED; the primary restarts once its compares are flushed.
    func primaryGotLoaded(_ number: Int, loaded: GuestFingerprint) {
        guard case .checkpointing(var checkpoint) = state, checkpoint.number == number else { return }
        switch checkpoint.primary {
        case .awaitingReceived:
            checkpoint.primary = .loadedBeforeReceived(loaded)
            state = .checkpointing(checkpoint)
        case .flushed:
            primaryRestart(number, loaded: loaded)
        case .awaitingReply, .loadedBeforeReceived:
            break
        }
    }

    /// K-5.10: the primary runs again (with the big lock); the releases queued at its tap
    /// reach the wire.
    func primaryRestart(_ number: Int, loaded: GuestFingerprint) {
        primary.mainLoop.run { [unowned self] in primaryStarts(number, loaded: loaded) }
    }

    private func primaryStarts(_ number: Int, loaded: GuestFingerprint) {
        guard primary.isAlive, case .checkpointing(let checkpoint) = state, checkpoint.number == number,
              case .flushed(let next) = checkpoint.primary else { return }
        // The primary stayed stopped since it sent its state: it must still equal what the
        // secondary loaded.
        if loaded != GuestFingerprint(primary.guest) {
            records[checkpoint.record].secondaryEqualsPrimary = false
        }
        state = .idle(event: next)
        primary.startVM()
        records[checkpoint.record].primaryRestartedAt = scheduler.now
        records[checkpoint.record].outcome = .completed
        log.controller(.primaryStarted(number: number, pause: records[checkpoint.record].pause ?? .zero))
        if next != nil {
            after(.zero, "wake") { [unowned self] in self.beginIfWanted() }
        }
    }
}
