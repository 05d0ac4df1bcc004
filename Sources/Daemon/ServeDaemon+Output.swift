import Glibc
import Primary

extension ServeDaemon {
    /// Writes every output buffer that has bytes (one `send` per buffer when the peer keeps up).
    func flushAllOutputs(nowMs: Int64) {
        for host in hosts {
            // notify_dev first: QEMU writes a DO_CHECKPOINT at once, before it releases anything
            // decided after it, so a peer that sees a later release on outdev must already be
            // able to read the request (writing outdev's batch first left a window where it
            // could not).
            if let notify = host.notify, notify.hasBytes && !notify.isStalled { flushOutput(host, .notifyDev, nowMs: nowMs) }
            if host.outdev.hasBytes && !host.outdev.isStalled { flushOutput(host, .outdev, nowMs: nowMs) }
        }
        for (index, session) in monitorSessions where !session.output.isEmpty {
            writeMonitor(index, nowMs: nowMs)
        }
    }

    /// The socket polled writable (or in error) while bytes wait.
    func writePending(_ index: Int, nowMs: Int64) {
        switch chardevs[index].frontend {
        case .outdev(let compare): flushOutput(hosts[compare], .outdev, nowMs: nowMs)
        case .notifyDev(let compare): flushOutput(hosts[compare], .notifyDev, nowMs: nowMs)
        case .monitor: writeMonitor(index, nowMs: nowMs)
        case .unused, .primaryIn, .secondaryIn: break
        }
    }

    /// Sends a compare output's buffer and tells the engine what the peer did (C-23..C-25):
    /// a stall hands the unwritten records back (`outputStalled`), finishing a stalled record
    /// reports the peer writable (the engine then drains its queue, newest first under
    /// upstream's quirk), a failure reports it failing (every queued record is dropped).
    func flushOutput(_ host: CompareHost, _ channel: CompareChannel, nowMs: Int64) {
        guard let chardevIndex = channel == .outdev ? host.outdev.chardev : host.notify?.chardev else { return }
        let chardev = chardevs[chardevIndex]
        guard chardev.isConnected else {
            // Records were handed over while the peer went away: they are lost (C-25).
            abandonOutput(host, channel)
            return
        }
        while true {
            let outcome = channel == .outdev ? host.outdev.flush(to: chardev.connection) : (host.notify?.flush(to: chardev.connection) ?? .drained(completed: 0, finishedStalledRecord: false))
            switch outcome {
            case .drained(let completed, let finishedStalledRecord):
                countWritten(host, channel, completed)
                guard finishedStalledRecord else { return }
                host.engine.setPeerState(.writable, for: channel, into: &host.actions)
                perform(host)
                if channel == .outdev { host.outdev.markAppendedAsDrained() } else { host.notify?.markAppendedAsDrained() }
                updateBackpressure(host)
                let more = channel == .outdev ? host.outdev.hasBytes : (host.notify?.hasBytes ?? false)
                if !more { return }
            case .stalled(let handedBack, let completed):
                countWritten(host, channel, completed)
                host.counters.writeStalls &+= 1
                handBack(host, channel, handedBack)
                perform(host)
                updateBackpressure(host)
                return
            case .stillStalled:
                return
            case .failed(let error, let handedBack):
                host.counters.writeFailures &+= 1
                if let handedBack { handBack(host, channel, handedBack) }
                logger.warning("colo-compare '\(host.id)' \(channel.rawValue): write failed: \(error)")
                connectionLost(chardevIndex, nowMs: nowMs, reason: "write failed: \(error.reason)")
                return
            }
        }
    }

    private func countWritten(_ host: CompareHost, _ channel: CompareChannel, _ count: Int) {
        switch channel {
        case .outdev: host.counters.recordsWritten &+= UInt64(count)
        case .notifyDev: host.counters.notifyMessagesWritten &+= UInt64(count)
        }
    }

    func handBack(_ host: CompareHost, _ channel: CompareChannel, _ records: OutputChannel.Unsent) {
        host.engine.outputStalled(on: channel, current: records.current, unsent: records.unsent,
                                  fromQueue: records.fromQueue, into: &host.actions)
    }

    /// The output's records will never be written: the engine drops them as `write_failed`.
    func abandonOutput(_ host: CompareHost, _ channel: CompareChannel) {
        let handedBack = channel == .outdev ? host.outdev.abandon() : host.notify?.abandon()
        if let handedBack { handBack(host, channel, handedBack) }
        host.engine.setPeerState(.failing, for: channel, into: &host.actions)
        perform(host)
        updateBackpressure(host)
    }

    // MARK: Connection changes

    func connectionOpened(_ index: Int, nowMs: Int64) {
        switch chardevs[index].frontend {
        case .outdev(let compare):
            let host = hosts[compare]
            host.engine.setPeerState(.writable, for: .outdev, into: &host.actions)
            perform(host)
        case .notifyDev(let compare):
            let host = hosts[compare]
            host.engine.setPeerState(.writable, for: .notifyDev, into: &host.actions)
            perform(host)
        case .monitor:
            monitorSessions[index] = .connected()
        case .unused, .primaryIn, .secondaryIn:
            break
        }
    }

    /// The connection is gone. Readers keep their state (W-9); outputs fail from now on until a
    /// peer connects again (C-25); a server accepts again, a reconnecting client retries.
    func connectionLost(_ index: Int, nowMs: Int64, reason: String) {
        chardevs[index].dropConnection(nowMs: nowMs, logger: logger, reason: reason)
        switch chardevs[index].frontend {
        case .outdev(let compare): abandonOutput(hosts[compare], .outdev)
        case .notifyDev(let compare): abandonOutput(hosts[compare], .notifyDev)
        case .monitor: monitorSessions[index] = nil
        case .unused, .primaryIn, .secondaryIn: break
        }
    }
}
