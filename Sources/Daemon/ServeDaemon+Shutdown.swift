import Glibc
import Primary

extension ServeDaemon {
    func handleSignal(_ number: Int32, nowMs: Int64) {
        switch number {
        case SIGUSR1:
            printCounters()
        case SIGTERM, SIGINT:
            beginShutdown(reason: "terminating on signal \(number)", nowMs: nowMs)
        default:
            break
        }
    }

    /// QEMU's deletion of a compare (C-28): nothing is read any more, the timer stops, every
    /// connection is flushed (primaries released, secondaries dropped); output still drains.
    /// QEMU 7.2 detaches its chardevs before that flush, so there its writes fail; with
    /// `--deletion-flush qemu` the daemon does the same (everything unwritten is dropped as
    /// `write_failed`).
    func deleteCompare(_ host: CompareHost, nowMs: Int64) {
        guard !host.isDeleted else { return }
        host.isDeleted = true
        if options.deletionFlush == .qemu {
            abandonOutput(host, .outdev)
            if host.notify != nil { abandonOutput(host, .notifyDev) }
        }
        host.engine.delete(nowMs: nowMs, into: &host.actions)
        perform(host)
        switch options.deletionFlush {
        case .deliver: logger.info("colo-compare '\(host.id)' deleted: queued primaries flushed to outdev")
        case .qemu: logger.info("colo-compare '\(host.id)' deleted: as QEMU 7.2, outdev was detached first and the flushed primaries are lost")
        }
    }

    /// SIGTERM, SIGINT or QMP quit: QEMU deletes every compare during network shutdown, then
    /// waits for their output. A second request ends at once.
    public func beginShutdown(reason: String, nowMs: Int64) {
        if shutdownDeadlineMs != nil {
            logger.notice("\(reason) again: stopping without waiting for output")
            shutdownDeadlineMs = nowMs
            return
        }
        logger.notice("\(reason)")
        shutdownDeadlineMs = nowMs + options.shutdownTimeoutMs
        for host in hosts { deleteCompare(host, nowMs: nowMs) }
    }

    func checkShutdown(nowMs: Int64) {
        guard let deadline = shutdownDeadlineMs else { return }
        let drained = hosts.allSatisfy(\.isOutputDrained)
        guard drained || nowMs >= deadline else { return }
        if !drained {
            for host in hosts where !host.isOutputDrained {
                let waiting = host.pendingOutput + host.outdev.heldRecords
                logger.warning("colo-compare '\(host.id)': \(waiting) output records not written before the shutdown timeout; dropped as write_failed")
                abandonOutput(host, .outdev)
                if host.notify != nil { abandonOutput(host, .notifyDev) }
            }
        }
        finish()
    }

    private func finish() {
        printCounters()
        decisionLog?.flush()
        if let log = decisionLog, log.failedWrites > 0 {
            logger.error("decision log \(log.path): \(log.failedWrites) write(s) failed, \(log.bytesLost) bytes of decisions lost (last: \(log.lastFailure ?? "unknown"))")
        }
        decisionLog = nil
        for chardev in chardevs { chardev.shutDown() }
        if let pidfile = pidfileWritten { unlink(pidfile) }
        isFinished = true
    }

    /// Counters of every compare on stderr, text or one JSON object per compare.
    public func printCounters() {
        let timeUs = clock.microseconds
        var lines: [String] = []
        for host in hosts {
            let snapshot = host.snapshot(timeUs: timeUs)
            switch options.countersFormat {
            case .text: lines += host.counters.textLines(snapshot)
            case .json: lines.append(host.counters.jsonLine(snapshot))
            }
        }
        StandardError.write(lines.map { $0 + "\n" }.joined())
    }
}
