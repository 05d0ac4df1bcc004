import Glibc
import Logging
import Primary

extension ServeDaemon {
    /// Start-up in QEMU's order: the pidfile, then every chardev in command-line order (a
    /// server with `wait` blocks until its first client connects), then the compares in
    /// creation order with QEMU's completion checks (C-1), then the monitors.
    public func start() throws(ServeError) {
        if options.handleSignals {
            do { signalFD = try SignalPipe.install() } catch { throw .system(error) }
        }
        if let pidfile = configuration.pidfile { try writePidfile(pidfile) }
        for (index, chardev) in chardevs.enumerated() {
            try chardev.open(nowMs: clock.milliseconds, logger: logger)
            if chardev.spec.wait { try waitForFirstClient(index) }
        }
        try completeCompares()
        for monitor in configuration.monitors {
            guard let index = chardevs.firstIndex(where: { $0.spec.id == monitor }) else { continue }
            guard chardevs[index].frontend == .unused else {
                throw .chardevOpen(chardev: monitor, detail: "device '\(monitor)' is in use by \(chardevs[index].frontend.roleName)")
            }
            chardevs[index].frontend = .monitor
            if chardevs[index].isConnected { monitorSessions[index] = .connected() }
        }
        if let path = options.decisionLogPath {
            do {
                decisionLog = try DecisionLog(path: path, format: options.decisionLogFormat, namesCompare: hosts.count > 1)
            } catch {
                throw .system(error)
            }
        }
        for host in hosts {
            let notify = host.notify.map { " notify_dev=\(chardevs[$0.chardev].spec.id)" } ?? ""
            logger.info("""
                serving colo-compare '\(host.id)': primary_in=\(chardevs[host.primaryChardev].spec.id) \
                secondary_in=\(chardevs[host.secondaryChardev].spec.id) \
                outdev=\(chardevs[host.outdev.chardev].spec.id)\(notify), profile \(options.profile.name), \
                compare_timeout \(host.engine.configuration.compareTimeoutMs) ms, \
                expired_scan_cycle \(host.engine.configuration.expiredScanCycleMs) ms, max_queue_size \(process.maxQueueSize)
                """)
        }
        if !configuration.ignoredOptions.isEmpty {
            logger.debug("ignored (no VM here): \(configuration.ignoredOptions.joined(separator: " "))")
        }
    }

    private func completeCompares() throws(ServeError) {
        guard !configuration.compares.isEmpty else { throw .nothingToServe }
        var inventory = CompareChardevInventory()
        for chardev in chardevs { inventory[chardev.spec.id] = .socket }
        let nowMs = clock.milliseconds
        for spec in configuration.compares {
            let engine: COLOCompare
            do {
                engine = try COLOCompare.complete(spec.properties, profile: options.profile, process: process,
                                                  chardevs: &inventory, nowMs: nowMs)
            } catch {
                throw .compareSetup(compare: spec.id, detail: error.description)
            }
            let properties = spec.properties
            guard let primaryIn = properties.primaryIn, let secondaryIn = properties.secondaryIn,
                  let outdev = properties.outdev,
                  let primary = index(of: primaryIn), let secondary = index(of: secondaryIn),
                  let output = index(of: outdev) else {
                throw .compareSetup(compare: spec.id, detail: "a chardev vanished during completion")
            }
            let notify = properties.notifyDev.flatMap { index(of: $0) }
            let compareIndex = hosts.count
            let host = CompareHost(
                id: spec.id, engine: engine, primaryChardev: primary, secondaryChardev: secondary,
                outdevChardev: output, notifyChardev: notify,
                chardevIDs: (primaryIn, secondaryIn, properties.notifyDev))
            hosts.append(host)
            chardevs[primary].frontend = .primaryIn(compare: compareIndex)
            chardevs[secondary].frontend = .secondaryIn(compare: compareIndex)
            chardevs[output].frontend = .outdev(compare: compareIndex)
            if let notify { chardevs[notify].frontend = .notifyDev(compare: compareIndex) }
            // A write to a chardev nobody is connected to fails (C-25): until a peer connects,
            // the compare's output is lost, as in QEMU.
            for (channel, chardev) in [(CompareChannel.outdev, output)] + (notify.map { [(CompareChannel.notifyDev, $0)] } ?? [])
            where !chardevs[chardev].isConnected {
                host.engine.setPeerState(.failing, for: channel, into: &host.actions)
            }
            perform(host)
        }
    }

    private func index(of chardev: String) -> Int? {
        chardevs.firstIndex { $0.spec.id == chardev }
    }

    /// `wait=on`: block start-up until the first client connects (signals still end it).
    private func waitForFirstClient(_ index: Int) throws(ServeError) {
        let chardev = chardevs[index]
        logger.notice("waiting for connection on \(chardev.name) (\(chardev.queryFilename))")
        while !chardev.isConnected {
            var entries = [pollfd(fd: chardev.listener, events: Int16(POLLIN), revents: 0)]
            if signalFD >= 0 { entries.append(pollfd(fd: signalFD, events: Int16(POLLIN), revents: 0)) }
            if poll(&entries, nfds_t(entries.count), -1) < 0 && errno != EINTR {
                throw .system(SystemCallError("poll", target: chardev.name, code: errno))
            }
            if entries.count > 1 && entries[1].revents != 0 {
                let received = SignalPipe.drain(signalFD)
                if received.contains(where: { $0 == SIGTERM || $0 == SIGINT }) {
                    throw .chardevOpen(chardev: chardev.spec.id, detail: "terminated while waiting for a connection")
                }
            }
            _ = chardev.acceptPending(logger: logger)
        }
    }

    private func writePidfile(_ path: String) throws(ServeError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .system(SystemCallError("open", target: path, code: errno)) }
        defer { close(fd) }
        let text = Array("\(getpid())\n".utf8)
        guard text.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == text.count else {
            throw .system(SystemCallError("write", target: path, code: errno))
        }
        pidfileWritten = path
    }
}
