import Fabric
import Deployment
import Primary
import COLORuntime

/// The checkpoint cycle as the migration relay shows it (spec K-5, K-7), and Lockstep's side
/// kept in step with it:
///
/// - `checkpoint-reply`: the secondary has stopped. Lockstep reads what the secondary's NIC end
///   still holds (sent before the stop), stops both guests and leaves the secondary's NIC end
///   unread; the primary stops when the reply reaches it.
/// - `vmstate-received`: the primary flushes its compares now.
/// - `vmstate-loaded`: the secondary has loaded the state, its filters have had the checkpoint
///   event and it runs. Lockstep reads the primary's NIC end (frames QEMU delivered before the
///   stop belong to the state), makes the secondary guest a copy of the primary's, and lets both
///   guests run; then the message goes on and the primary resumes.
///
/// Why each checkpoint happened comes from what asked for it since the last flush: Lockstep's own
/// `x-checkpoint-delay` changes, the compare's trace lines (timeout, non-TCP mismatch) and the
/// shadow compare's TCP requests; with none of these, the periodic timer.
extension RealWorld {
    func returnMessage(_ message: MigrationRelay.Message) {
        advanceScheduler()
        readTraces()
        let now = scheduler.now
        switch message {
        case .checkpointReady, .checkpointRequest, .vmstateSend, .vmstateSize:
            return
        case .checkpointReply:
            readEnds(.secondary)
            secondaryNICHeld = true
            side.pauseGuest(.secondary)
            side.pauseGuest(.primary)
            let number = records.count + 1
            let requests = pendingRequests
            pendingRequests.removeAll()
            let trigger = requests.first?.trigger ?? unrequestedTrigger(at: now)
            var record = CheckpointRecord(
                number: number, trigger: trigger, requestedAt: requests.first?.time ?? now,
                absorbedRequests: max(0, requests.count - 1), startedAt: now)
            record.primaryStoppedAt = now
            if requests.isEmpty { log.controller(.checkpointRequested(trigger, coalesced: false)) }
            lastTimerArm = now
            records.append(record)
            inCheckpoint = (records.count - 1, now, nil, compares.reduce(0) { $0 + $1.counters.released })
            log.controller(.checkpointStarted(number: number, trigger: trigger))
            log.controller(.secondaryStopped(number: number))
            log.controller(.primaryStopped(number: number, stateBytes: 0, transfer: .zero))
        case .vmstateReceived:
            guard var checkpoint = inCheckpoint else { return }
            checkpoint.flushedAt = now
            inCheckpoint = checkpoint
            // K-3: what asked until now was answered by this checkpoint.
            records[checkpoint.record].absorbedRequests += pendingRequests.count
            pendingRequests.removeAll()
            log.controller(.stateReceived(number: records[checkpoint.record].number))
            for compare in compares { compare.checkpointFlush(at: now, log: log) }
        case .vmstateLoaded:
            guard let checkpoint = inCheckpoint else { return }
            for relay in relays { relay.service() }
            readEnds(.primary)
            let number = records[checkpoint.record].number
            let released = compares.reduce(0) { $0 + $1.counters.released } - checkpoint.releasesBefore
            records[checkpoint.record].flushedAt = checkpoint.flushedAt ?? now
            records[checkpoint.record].released = released
            log.controller(.comparesFlushed(number: number, released: released, secondaryDropped: 0))
            let equal = side.loadSecondary(record: number)
            records[checkpoint.record].secondaryLoadedAt = now
            records[checkpoint.record].secondaryEqualsPrimary = equal
            log.controller(.secondaryLoaded(number: number, equalsPrimary: equal))
            side.resumeGuest(.secondary)
            secondaryNICHeld = false
            log.controller(.secondaryStarted(number: number))
            if !side.primaryUnchanged(sinceLoadOf: number) { records[checkpoint.record].secondaryEqualsPrimary = false }
            side.resumeGuest(.primary)
            records[checkpoint.record].primaryRestartedAt = now
            records[checkpoint.record].outcome = .completed
            log.controller(.primaryStarted(number: number, pause: records[checkpoint.record].pause ?? .zero))
            inCheckpoint = nil
        }
    }

    /// A checkpoint nothing was seen asking for: the periodic timer when x-checkpoint-delay has
    /// passed since the last request (K-2 re-arms it at each), else the compare (a QEMU without
    /// the log trace backend leaves no trace line): the shadow's latest request names it.
    private func unrequestedTrigger(at now: VirtualTime) -> CheckpointTrigger {
        let delay = configuration.controller.checkpointDelay
        if now - lastTimerArm + .milliseconds(5) >= delay { return .periodic }
        guard let compare = compares.first else { return .periodic }
        return .compare(object: compare.id, request: compare.shadowRequests.last?.request)
    }

    /// A checkpoint request Lockstep made itself (an `x-checkpoint-delay` change).
    func requested(_ trigger: CheckpointTrigger, at time: VirtualTime) {
        lastTimerArm = max(lastTimerArm, time)
        log.controller(.checkpointRequested(trigger, coalesced: !pendingRequests.isEmpty || inCheckpoint?.flushedAt == nil && inCheckpoint != nil))
        pendingRequests.append((time, trigger))
    }

    /// The compares' trace lines: requests (timeout, non-TCP mismatch) and queue-full drops.
    /// TCP mismatches leave no trace line; the shadow compare's requests stand for them.
    func readTraces() {
        guard !traces.isEmpty else { return }
        for line in traces[0].newLines(clock: clock) {
            guard let observer = compares.first else { continue }
            switch line.event {
            case "colo_old_packet_check_found":
                // The argument is the packet's creation time, milliseconds of the host clock.
                let created = line.arguments.split { !$0.isNumber }.last.flatMap { Int64($0) }
                    .map { clock.runTime(realtimeNanoseconds: $0 * 1_000_000) }
                let request = observer.timeoutTraced(at: scheduler.now, created: created, traced: line.time, log: log)
                observer.countRequest()
                requested(.compare(object: observer.id, request: request), at: min(line.time, scheduler.now))
            case "colo_compare_main" where line.arguments.contains("packet different"):
                observer.countRequest()
                let request = observer.shadowRequests.last { if case .noMatch = $0.request.reason { true } else { false } }?.request
                requested(.compare(object: observer.id, request: request), at: min(line.time, scheduler.now))
            case "colo_compare_drop_packet" where line.arguments.hasPrefix("primary"):
                observer.primaryDropTraced()
            default:
                continue
            }
        }
        _ = traces[1].newLines(clock: clock)
        for observer in compares {
            for (time, request) in observer.takeNewTCPRequests() {
                observer.countRequest()
                requested(.compare(object: observer.id, request: request), at: time)
            }
        }
    }
}
