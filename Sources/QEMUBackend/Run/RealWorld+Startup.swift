import Glibc
import Fabric
import Deployment
import COLORuntime

/// Starting both QEMUs and COLO: the primary first (it serves the chardev sockets), then the
/// secondary with `-incoming`; QMP on both; every chardev link joined through its relay; then
/// x-colo, `x-checkpoint-delay` and `migrate` to the migration relay, until both VMs run in
/// COLO. Any refusal or exit here is a start-up error naming what QEMU rejected.
extension RealWorld {
    func start() throws(QEMUBackendError) {
        let started = ContinuousClock.now
        let limit = Duration.nanoseconds(limits.startup.nanoseconds)
        func waitUntil(_ what: String, _ done: () throws(QEMUBackendError) -> Bool) throws(QEMUBackendError) {
            while try !done() {
                if let failure { throw failure }
                try checkStartupHealth(during: what)
                if ContinuousClock.now - started > limit {
                    throw .hung(host: "primary or secondary", waitingFor: what, seconds: limits.startup.seconds,
                                stderr: children.compactMap { $0?.stderrText() }.joined(separator: "\n"))
                }
                turn(maxWait: .milliseconds(5), runsScheduler: false)
            }
        }
        for role in HostRole.allCases {
            let host = plan[role]
            children[index(role)] = try QEMUChild(role: role, executable: binary.path, arguments: host.arguments, stderrPath: host.stderrPath)
            try waitUntil("\(role) QMP socket") { () throws(QEMUBackendError) -> Bool in
                guard let connection = try? StreamConnection.connect(path: host.qmpPath, label: "\(role) QMP") else { return false }
                qmp[index(role)] = QMPChannel(role: role, connection: connection)
                return true
            }
            try waitUntil("\(role) QMP greeting") { qmp[index(role)]?.greeted == true }
            try command(role, "qmp_capabilities")
        }
        try waitUntil("every chardev link joined through its relay") { relays.allSatisfy(\.isConnected) }
        try command(.primary, "migrate-set-capabilities", ["capabilities": [["capability": "x-colo", "state": true]]])
        try command(.primary, "migrate-set-parameters", ["x-checkpoint-delay": Self.checkpointDelayMilliseconds(configuration.controller.checkpointDelay)])
        let eventsBefore = HostRole.allCases.map { qmp[index($0)]?.events.count ?? 0 }
        try command(.primary, "migrate", ["uri": "unix:\(plan.migrationRelayPath)"])
        var coloStart: WallClock?
        try waitUntil("COLO to start (both VMs resumed after the first migration)") {
            let resumed = HostRole.allCases.map { role in
                (qmp[index(role)]?.events.dropFirst(eventsBefore[index(role)]).contains { $0.name == "RESUME" }) ?? false
            }
            // Run time starts when the primary resumed in COLO: its x-checkpoint-delay timer
            // was armed then, so periodic checkpoints fall where an emulated run has them.
            if resumed[0] && coloStart == nil { coloStart = WallClock() }
            return resumed.allSatisfy { $0 }
        }
        clock = coloStart ?? WallClock()
        for (role, compare) in plan.compares {
            do {
                try command(role, "object-add", RealTopologyPlan.objectAdd(compare))
            } catch .commandRefused(_, _, let reply) {
                throw .rejected(host: role.rawValue, argument: "object-add colo-compare,id=\(compare.id)", message: reply, stderr: "")
            }
        }
        coloRunning = true
    }

    /// `x-checkpoint-delay` in milliseconds, capped at QEMU's 32-bit limit.
    static func checkpointDelayMilliseconds(_ delay: VirtualDuration) -> UInt64 {
        UInt64(max(1, min(delay.milliseconds, Int64(UInt32.max))))
    }

    /// Sends a QMP command and waits for its reply (start-up only: the run never blocks).
    func command(_ role: HostRole, _ name: String, _ arguments: [String: Any]? = nil) throws(QEMUBackendError) {
        guard let channel = qmp[index(role)] else { return }
        var reply: QMPChannel.Reply?
        channel.execute(name, arguments, at: scheduler.now) { reply = $0 }
        let started = ContinuousClock.now
        while reply == nil {
            try checkStartupHealth(during: "QMP \(name)")
            if ContinuousClock.now - started > .nanoseconds(limits.command.nanoseconds) {
                throw .hung(host: role.rawValue, waitingFor: "reply to \(name)", seconds: limits.command.seconds,
                            stderr: children[index(role)]?.stderrText() ?? "")
            }
            turn(maxWait: .milliseconds(5), runsScheduler: false)
        }
        if case .failure(let message) = reply {
            throw .commandRefused(host: role.rawValue, command: name, reply: message)
        }
    }

    /// A QEMU that exited during start-up refused its command line (or crashed at once).
    private func checkStartupHealth(during activity: String) throws(QEMUBackendError) {
        for role in HostRole.allCases {
            guard let child = children[index(role)], !child.isRunning else { continue }
            let stderr = child.stderrText()
            let refusal = StartupRefusal.parse(stderr)
            if refusal.argument != nil || child.exitStatus?.hasPrefix("exit code") == true {
                throw .rejected(host: role.rawValue, argument: refusal.argument, message: refusal.message, stderr: stderr)
            }
            throw .crashed(host: role.rawValue, status: child.exitStatus ?? "unknown", during: "start-up (\(activity))", stderr: stderr)
        }
    }
}
