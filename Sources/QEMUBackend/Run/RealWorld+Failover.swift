import Fabric
import Primary
import Deployment
import COLORuntime

/// Host loss and failover on real QEMU: a lost host is SIGKILL; `failover_delay` later the
/// survivor gets `x-colo-lost-heartbeat` (K-10, K-11), and after a primary failover the
/// documented teardown deletes the compares, mirrors and redirectors over QMP.
extension RealWorld {
    /// The host is gone: its QEMU is killed; the checkpoint under way, if any, is abandoned.
    func lose(_ role: HostRole) {
        guard alive[index(role)] else { return }
        alive[index(role)] = false
        children[index(role)]?.kill()
        side.hostLost(role)
        log.controller(.hostLost(role))
        if let checkpoint = inCheckpoint {
            records[checkpoint.record].outcome = .aborted("\(role) lost")
            inCheckpoint = nil
        }
        coloRunning = false
        let survivor: HostRole = role == .primary ? .secondary : .primary
        scheduler.schedule(after: configuration.controller.failoverDelay, EventLabel("\(survivor) failover command")) { [unowned self] in
            failover(survivor)
        }
    }

    /// K-10 / K-11 on real QEMU: `x-colo-lost-heartbeat` on the survivor.
    private func failover(_ role: HostRole) {
        guard alive[index(role)] else { return }
        if role == .secondary {
            // The secondary's filters may let its guest's output out as soon as QEMU runs the
            // command, before its reply reaches us: the takeover starts when the command leaves.
            secondaryFailedOver = true
            log.controller(.failover(.secondary, detail: "x-colo-lost-heartbeat: filters notified"))
            side.secondaryTookOver()
        }
        send(role, "x-colo-lost-heartbeat") { [unowned self] in
            secondaryNICHeld = false
            side.resumeGuest(role)
            if role == .primary {
                log.controller(.failover(.primary, detail: "COLO stopped"))
                log.controller(.coloExited(reason: "secondary lost"))
                if configuration.controller.runsDocumentedTeardown { teardown() }
            }
        }
    }

    /// The documented teardown after a primary failover, one `object-del` per step.
    private func teardown() {
        let steps = Self.teardownSteps(configuration.topology.primary)
        for (offset, step) in steps.enumerated() {
            let delay = VirtualDuration(nanoseconds: configuration.controller.operatorStepDelay.nanoseconds * Int64(offset + 1))
            scheduler.schedule(after: delay, EventLabel("teardown \(step.objectID)")) { [unowned self] in
                guard alive[0], let channel = qmp[0] else { return }
                channel.execute("object-del", ["id": step.objectID], at: scheduler.now) { [unowned self] reply in
                    if case .failure(let message) = reply {
                        log.controller(.teardown("\(step): \(message)"))
                    } else {
                        log.controller(.teardown(step.description))
                    }
                    if offset == steps.count - 1 { side.comparesTornDown() }
                }
            }
        }
    }

    /// Every compare, then mirrors, then redirectors, in command-line order.
    static func teardownSteps(_ host: HostConfiguration) -> [PrimaryTeardown.Step] {
        host.compares.map { .deleteCompare($0.id) }
            + host.filters.filter { $0.kind == .mirror }.map { .deleteFilter($0.id) }
            + host.filters.filter { $0.kind == .redirector }.map { .deleteFilter($0.id) }
    }

    /// The migration stream ended: expected after a host loss; otherwise that QEMU's COLO
    /// thread gave up, which the health check reports with its stderr if the process died.
    func migrationClosed(by role: HostRole) {
        guard alive[0], alive[1], coloRunning else { return }
        coloRunning = false
        log.controller(.coloExited(reason: "the migration stream closed on the \(role)'s side"))
    }
}
