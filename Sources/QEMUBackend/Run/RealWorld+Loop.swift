import Glibc
import Fabric
import Deployment
import COLORuntime

/// The real-time loop: wait on every socket until something is readable or the next
/// scheduled event is due, run the events due by the wall clock, serve every socket, and
/// check that both QEMUs live and answer.
extension RealWorld {
    /// One turn. `maxWait` bounds the sleep (start-up polls in short turns).
    func turn(maxWait: VirtualDuration, runsScheduler: Bool = true) {
        var fds: [pollfd] = []
        for channel in qmp.compactMap({ $0 }) where channel.connection.isOpen {
            fds.append(pollfd(fd: channel.connection.fd, events: Int16(POLLIN), revents: 0))
        }
        for relay in relays { fds += relay.descriptors }
        fds += migration.descriptors
        for (position, pair) in ends.enumerated() {
            fds.append(pollfd(fd: pair.tap.fd, events: Int16(POLLIN), revents: 0))
            if !(position == 1 && secondaryNICHeld) { fds.append(pollfd(fd: pair.nic.fd, events: Int16(POLLIN), revents: 0)) }
        }
        var wait = maxWait.nanoseconds
        // poll() cannot say when QEMU drains a datagram socket we send to: retry every turn.
        if ends.contains(where: { $0.tap.hasBacklog || $0.nic.hasBacklog }) { wait = min(wait, 1_000_000) }
        if runsScheduler, runStarted, let next = scheduler.nextEventTime {
            wait = max(0, min(wait, next.nanoseconds - clock.now.nanoseconds))
        }
        // poll() counts milliseconds: a wait under one rounds up, so a due event runs at most
        // a millisecond late rather than the loop spinning.
        let milliseconds = Int32(min(Int64(Int32.max), (wait + 999_999) / 1_000_000))
        _ = poll(&fds, nfds_t(fds.count), milliseconds)
        if runsScheduler { advanceScheduler() }
        serviceSockets()
        if runsScheduler { advanceScheduler() }
    }

    /// Runs every event due by now; the scheduler's clock becomes the wall clock.
    func advanceScheduler() {
        // Before the run starts (start-up) the scheduler's clock stays at zero.
        guard runStarted else { return }
        do {
            try scheduler.run(until: clock.now)
        } catch {
            stopRequest = stopRequest ?? .schedulerFailure(error.description)
        }
    }

    func serviceSockets() {
        let now = scheduler.now
        for channel in qmp.compactMap({ $0 }) { channel.service(at: now) }
        migration.service()
        for relay in relays { relay.service() }
        for role in HostRole.allCases { readEnds(role) }
        readTraces()
    }

    /// Hands whatever QEMU sent on a host's two ends to Lockstep's side.
    func readEnds(_ role: HostRole) {
        let pair = ends[index(role)]
        pair.tap.flushBacklog()
        pair.nic.flushBacklog()
        while let bytes = pair.tap.receive() {
            guard alive[index(role)] else { continue }
            side.frameFromQEMU(role, end: .tap, Frame(bytes))
        }
        if role == .secondary && secondaryNICHeld { return }
        while let bytes = pair.nic.receive() {
            guard alive[index(role)] else { continue }
            side.frameFromQEMU(role, end: .nic, Frame(bytes))
        }
    }

    /// A QEMU that exited without Lockstep killing it ends the run; so does a QMP command or a
    /// checkpoint that takes longer than its limit.
    func checkHealth(during activity: String) {
        for role in HostRole.allCases where alive[index(role)] {
            guard let child = children[index(role)] else { continue }
            if !child.isRunning {
                fail(.crashed(host: role.rawValue, status: child.exitStatus ?? "unknown", during: activity, stderr: child.stderrText()))
                continue
            }
            if let waiting = qmp[index(role)]?.oldestWaiting, clock.now - waiting.since > limits.command {
                fail(.hung(host: role.rawValue, waitingFor: "reply to \(waiting.command)", seconds: limits.command.seconds,
                           stderr: child.stderrText()))
            }
        }
        if let checkpoint = inCheckpoint, clock.now - checkpoint.since > limits.checkpoint, alive[0], alive[1] {
            fail(.hung(host: "primary or secondary", waitingFor: "end of checkpoint \(records[checkpoint.record].number)",
                       seconds: limits.checkpoint.seconds, stderr: children[0]?.stderrText() ?? ""))
        }
    }
}

extension VirtualDuration {
    var seconds: Double { Double(nanoseconds) / 1e9 }
}
