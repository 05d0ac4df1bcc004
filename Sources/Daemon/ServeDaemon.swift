import Glibc
import Logging
import Fabric
import Primary

/// `lockstep serve`: QEMU's standalone colo-compare as a single-threaded poll(2) loop over
/// non-blocking sockets, around the same sans-I/O `COLOCompare` engine the emulation uses.
///
/// The loop: poll every socket it has an interest in (accepts, reads, pending writes, hang-ups)
/// with a timeout that reaches the next timer (scan timers C-19, client reconnects, shutdown);
/// read each ready input once (up to `readChunkBytes`), decode its records (W-5) and feed them
/// to the compare with the current monotonic millisecond; perform the compare's actions
/// (events to counters and the decision log, records to the output buffers); fire due timers;
/// then write every output buffer in one `send` each. Signals arrive through a self-pipe.
public final class ServeDaemon {
    public let configuration: ServeConfiguration
    public let options: ServeOptions
    let logger: Logger
    let clock = MonotonicClock()
    /// QEMU's process-global max_queue_size, shared by every compare (§7.1).
    let process = CompareProcess()
    var chardevs: [LiveChardev]
    var hosts: [CompareHost] = []
    /// QMP state per chardev index (monitors only).
    var monitorSessions: [Int: MonitorSession] = [:]
    var decisionLog: DecisionLog?
    var signalFD: Int32 = -1
    let readBuffer: UnsafeMutableRawBufferPointer
    /// Set once shutdown has begun: when it must end at the latest.
    var shutdownDeadlineMs: Int64?
    public internal(set) var isFinished = false
    var pidfileWritten: String?

    public init(configuration: ServeConfiguration, options: ServeOptions, logger: Logger) {
        self.configuration = configuration
        self.options = options
        self.logger = logger
        chardevs = configuration.chardevs.map { LiveChardev(spec: $0, listenAnyAddress: options.listenAnyAddress) }
        readBuffer = .allocate(byteCount: max(4096, options.readChunkBytes), alignment: 16)
    }

    deinit {
        for chardev in chardevs { chardev.shutDown() }
        if signalFD >= 0 { close(signalFD) }
        readBuffer.deallocate()
    }

    /// Counters of every compare, in creation order.
    public var counters: [(compare: String, counters: ServeCounters)] {
        hosts.map { ($0.id, $0.counters) }
    }

    /// Runs until shutdown completes; returns the exit status (0 for a clean shutdown).
    public func run() -> Int32 {
        while !isFinished { step(maximumWaitMs: nil) }
        return 0
    }

    // MARK: One round

    private enum PollTarget {
        case signals
        case listener(Int)
        case connection(Int, fd: Int32)
    }

    /// One poll round; `maximumWaitMs` bounds the wait (nil: until the next timer or event).
    public func step(maximumWaitMs: Int32?) {
        guard !isFinished else { return }
        var targets: [PollTarget] = []
        var entries: [pollfd] = []
        func watch(_ target: PollTarget, _ fd: Int32, _ events: Int32) {
            targets.append(target)
            entries.append(pollfd(fd: fd, events: Int16(truncatingIfNeeded: events), revents: 0))
        }
        if signalFD >= 0 { watch(.signals, signalFD, POLLIN) }
        for (index, chardev) in chardevs.enumerated() {
            if chardev.isAccepting && shutdownDeadlineMs == nil { watch(.listener(index), chardev.listener, POLLIN) }
            guard chardev.connection >= 0, !isPaused(index) else { continue }
            var events: Int32 = 0
            if chardev.connecting {
                events = POLLOUT
            } else {
                if wantsRead(index) { events |= POLLIN }
                if hasPendingBytes(index) { events |= POLLOUT }
            }
            // Even with no interest, poll reports hang-ups and errors (QEMU's HUP watch).
            watch(.connection(index, fd: chardev.connection), chardev.connection, events)
        }
        let timeout = pollTimeout(nowMs: clock.milliseconds, maximumWaitMs: maximumWaitMs)
        let ready = poll(&entries, nfds_t(entries.count), timeout)
        if ready < 0 && errno != EINTR {
            logger.critical("poll failed: \(SystemCallError("poll", target: "sockets", code: errno))")
            usleep(10_000)
        }
        if ready > 0 {
            for (target, entry) in zip(targets, entries) where entry.revents != 0 {
                handle(target, revents: Int32(entry.revents))
            }
        }
        let now = clock.milliseconds
        runTimers(nowMs: now)
        flushAllOutputs(nowMs: now)
        decisionLog?.flush()
        if let failure = decisionLog?.takeNewFailure() { logger.error("\(failure)") }
        if shutdownDeadlineMs != nil { checkShutdown(nowMs: clock.milliseconds) }
    }

    private func handle(_ target: PollTarget, revents: Int32) {
        let now = clock.milliseconds
        switch target {
        case .signals:
            for number in SignalPipe.drain(signalFD) { handleSignal(number, nowMs: now) }
        case .listener(let index):
            if chardevs[index].acceptPending(logger: logger) { connectionOpened(index, nowMs: now) }
        case .connection(let index, let fd):
            let chardev = chardevs[index]
            guard chardev.connection == fd else { return }
            if chardev.connecting {
                if chardev.finishConnect(nowMs: now, logger: logger) { connectionOpened(index, nowMs: now) }
                return
            }
            let failed = revents & (POLLHUP | POLLERR) != 0
            let reading = wantsRead(index)
            if reading && (revents & POLLIN != 0 || failed) {
                // Reads what is left; the end of stream then ends the connection.
                readInput(index, nowMs: now)
            }
            guard chardevs[index].connection == fd else { return }
            if revents & (POLLOUT | POLLERR | POLLHUP) != 0 && hasPendingBytes(index) {
                writePending(index, nowMs: now)
            }
            // Nothing here reads this socket: a hang-up or error is seen only as such (QEMU's
            // HUP watch), and would otherwise be reported again by every poll.
            if !reading && failed && chardevs[index].connection == fd {
                connectionLost(index, nowMs: now, reason: revents & POLLERR != 0 ? "socket error" : "hang-up")
            }
        }
    }

    /// The wait until the earliest timer: scans, reconnects, shutdown deadline.
    private func pollTimeout(nowMs: Int64, maximumWaitMs: Int32?) -> Int32 {
        var deadlines: [Int64] = chardevs.compactMap(\.reconnectAtMs)
        deadlines += hosts.filter { !$0.isDeleted }.compactMap(\.engine.nextScanDeadlineMs)
        if let shutdown = shutdownDeadlineMs { deadlines.append(shutdown) }
        var wait: Int64 = deadlines.min().map { max(0, $0 - nowMs) } ?? -1
        if let maximumWaitMs {
            wait = wait < 0 ? Int64(maximumWaitMs) : min(wait, Int64(maximumWaitMs))
        }
        return Int32(clamping: wait)
    }

    private func runTimers(nowMs: Int64) {
        if shutdownDeadlineMs == nil {
            for (index, chardev) in chardevs.enumerated() where chardev.reconnectIfDue(nowMs: nowMs, logger: logger) {
                connectionOpened(index, nowMs: nowMs)
            }
        }
        for host in hosts where !host.isDeleted {
            guard let due = host.engine.nextScanDeadlineMs, due <= nowMs else { continue }
            host.engine.advanceTime(toMs: nowMs, into: &host.actions)
            perform(host)
        }
    }

    // MARK: Interests

    func wantsRead(_ index: Int) -> Bool {
        switch chardevs[index].frontend {
        case .primaryIn(let compare):
            let host = hosts[compare]
            return !host.isDeleted && !host.primary.stopped
        case .secondaryIn(let compare):
            let host = hosts[compare]
            return !host.isDeleted && !host.secondary.stopped
        case .notifyDev(let compare):
            let host = hosts[compare]
            return !host.isDeleted && !(host.notifyReader?.stopped ?? true)
        case .monitor:
            return true
        case .unused, .outdev:
            return false
        }
    }

    /// A paused input is left out of the poll set entirely: its hang-up is seen (and its last
    /// bytes read) once the backlog has drained.
    private func isPaused(_ index: Int) -> Bool {
        switch chardevs[index].frontend {
        case .primaryIn(let compare), .secondaryIn(let compare):
            let host = hosts[compare]
            return host.inputsPaused && !host.isDeleted
        default:
            return false
        }
    }

    func hasPendingBytes(_ index: Int) -> Bool {
        switch chardevs[index].frontend {
        case .outdev(let compare): hosts[compare].outdev.hasBytes
        case .notifyDev(let compare): hosts[compare].notify?.hasBytes ?? false
        case .monitor: !(monitorSessions[index]?.output.isEmpty ?? true)
        case .unused, .primaryIn, .secondaryIn: false
        }
    }
}
