import Glibc
import Fabric
import Primary

extension ServeDaemon {
    /// Reads once from a ready input and hands the bytes to its frontend. End of stream or a
    /// read error is a disconnect.
    func readInput(_ index: Int, nowMs: Int64) {
        let chardev = chardevs[index]
        let count = recv(chardev.connection, readBuffer.baseAddress, readBuffer.count, 0)
        if count > 0 {
            let chunk = UnsafeRawBufferPointer(rebasing: readBuffer[0..<count])
            switch chardev.frontend {
            case .primaryIn(let compare): feedPrimary(hosts[compare], chunk, nowMs: nowMs)
            case .secondaryIn(let compare): feedSecondary(hosts[compare], chunk, nowMs: nowMs)
            case .notifyDev(let compare): feedNotify(hosts[compare], chunk, nowMs: nowMs)
            case .monitor: feedMonitor(index, chunk, nowMs: nowMs)
            case .unused, .outdev: break
            }
            return
        }
        let code = errno
        if count < 0 && (code == EAGAIN || code == EWOULDBLOCK || code == EINTR) { return }
        connectionLost(index, nowMs: nowMs, reason: count == 0 ? "end of stream" : String(cString: strerror(code)))
    }

    private func feedPrimary(_ host: CompareHost, _ chunk: UnsafeRawBufferPointer, nowMs: Int64) {
        let error = host.primary.decoder.feed(chunk) { frame in
            host.engine.receivePrimary(frame, nowMs: nowMs, into: &host.actions)
        }
        host.counters.primaryRecords = UInt64(host.engine.primaryRecordCount)
        afterInput(host, error: error, role: "primary_in", nowMs: nowMs)
        if error != nil { host.primary.stopped = true }
    }

    private func feedSecondary(_ host: CompareHost, _ chunk: UnsafeRawBufferPointer, nowMs: Int64) {
        let error = host.secondary.decoder.feed(chunk) { frame in
            host.engine.receiveSecondary(frame, nowMs: nowMs, into: &host.actions)
        }
        host.counters.secondaryRecords = UInt64(host.engine.secondaryRecordCount)
        afterInput(host, error: error, role: "secondary_in", nowMs: nowMs)
        if error != nil { host.secondary.stopped = true }
    }

    private func feedNotify(_ host: CompareHost, _ chunk: UnsafeRawBufferPointer, nowMs: Int64) {
        guard host.notifyReader != nil else { return }
        var records: UInt64 = 0
        let error = host.notifyReader?.decoder.feed(chunk) { record in
            records += 1
            host.engine.receiveNotify(record, nowMs: nowMs, into: &host.actions)
        }
        host.counters.notifyRecords &+= records
        afterInput(host, error: error, role: "notify_dev", nowMs: nowMs)
        if error != nil { host.notifyReader?.stopped = true }
    }

    /// Performs the actions, reports a framing error (W-10: the input is abandoned for good, as
    /// QEMU removes its handlers), keeps output buffers bounded and applies backpressure.
    private func afterInput(_ host: CompareHost, error: FramingError?, role: String, nowMs: Int64) {
        perform(host)
        if let error {
            host.counters.framingErrors &+= 1
            logger.error("colo-compare '\(host.id)' \(role) error: \(error); this input is not read any more (W-10)")
        }
        if host.outdev.bufferedBytes >= Self.outputFlushThreshold { flushOutput(host, .outdev, nowMs: nowMs) }
        if let notify = host.notify, notify.bufferedBytes >= Self.outputFlushThreshold { flushOutput(host, .notifyDev, nowMs: nowMs) }
        updateBackpressure(host)
    }

    static var outputFlushThreshold: Int { 1 << 20 }

    /// Routes the engine's actions: events to counters and the decision log, records to the
    /// output buffers, local checkpoint requests to nobody (a standalone compare has no COLO
    /// framework listening, exactly like QEMU's).
    func perform(_ host: CompareHost) {
        guard !host.actions.isEmpty else { return }
        let timeUs = decisionLog == nil ? 0 : clock.microseconds
        for action in host.actions {
            switch action {
            case .event(let event):
                host.counters.count(event)
                decisionLog?.record(event, compare: host.id, timeUs: timeUs)
                if case .drop(let drop) = event, case .writeFailed = drop.reason {
                    logger.debug("colo-compare '\(host.id)': primary #\(drop.index) lost: its outdev write failed (C-25)")
                }
            case .write(let write):
                switch write.channel {
                case .outdev: host.outdev.append(write)
                case .notifyDev: host.notify?.append(write)
                }
            case .requestCheckpoint:
                host.counters.unheardCheckpointRequests &+= 1
            }
        }
        host.actions.removeAll(keepingCapacity: true)
    }

    /// Stops reading a compare's inputs while its unwritten output exceeds the limit, so a peer
    /// that never reads cannot make the daemon grow without bound.
    func updateBackpressure(_ host: CompareHost) {
        guard options.maxPendingOutput > 0 else { return }
        let pending = host.pendingOutput
        if !host.inputsPaused && pending > options.maxPendingOutput {
            host.inputsPaused = true
            logger.warning("colo-compare '\(host.id)': \(pending) records wait for a peer that is not reading; pausing primary_in and secondary_in")
        } else if host.inputsPaused && pending <= options.maxPendingOutput / 2 {
            host.inputsPaused = false
            logger.notice("colo-compare '\(host.id)': output backlog drained to \(pending); reading inputs again")
        }
    }
}
