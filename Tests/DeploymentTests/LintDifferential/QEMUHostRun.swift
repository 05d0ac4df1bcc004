import Foundation

/// One QEMU of a variant, started inside the namespace with its monitor on a unix socket and
/// its output in a file. `kill()` ends it with SIGKILL and reaps it; nothing outlives a variant.
final class QEMUHostRun {
    /// How a QEMU ended up.
    enum State: String, Sendable {
        /// Exited with a non-zero status.
        case refused
        /// Died on a signal (an assertion).
        case aborted
        /// Alive, never greeted on its monitor.
        case hung
        /// Greeted only after the other host was started (it waited for a client).
        case startedAfterPeer = "started-after-peer"
        /// Greeted on its own.
        case started
        /// Exited with status 0 (a variant asked for help or a version).
        case exited
    }

    let role: String
    let process = Process()
    let monitorPath: String
    let outputPath: String
    private(set) var monitor: QMPConnection?
    private(set) var startedAt = ContinuousClock.now

    init(role: String, executable: String, arguments: [String], namespace: NetworkNamespace, directory: String) throws {
        self.role = role
        monitorPath = "\(directory)/qmp-\(role).sock"
        outputPath = "\(directory)/stderr-\(role).txt"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = FileHandle(forWritingAtPath: outputPath)
        process.executableURL = URL(fileURLWithPath: NetworkNamespace.ipPath)
        process.arguments = namespace.wrap([executable, "-qmp", "unix:\(monitorPath),server=on,wait=off"] + arguments)
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        startedAt = .now
    }

    var stderr: String {
        (try? String(contentsOfFile: outputPath, encoding: .utf8)).map { String($0.suffix(8192)) } ?? ""
    }

    var isGreeted: Bool { monitor != nil }

    /// QEMU prints this when a chardev server with wait=on blocks its start-up.
    var isWaitingForClient: Bool { stderr.contains("QEMU waiting for connection on:") }

    /// Waits up to `seconds` for the greeting or an exit, or (when `stopWhenWaiting`) until
    /// QEMU says it waits for a client. Returns whether it greeted. The monitor socket listens
    /// before start-up is done; the greeting comes only once it is, so the connection is kept
    /// across calls and read a little at a time.
    @discardableResult
    func awaitStart(seconds: Double, stopWhenWaiting: Bool) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while monitor == nil, ContinuousClock.now < deadline, process.isRunning {
            if connection == nil { connection = QMPConnection.connect(path: monitorPath) }
            if let connection, connection.handshake(until: min(deadline, .now + .milliseconds(100))) {
                monitor = connection
                return true
            }
            if stopWhenWaiting, isWaitingForClient { return false }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return monitor != nil
    }

    /// The monitor connection before its greeting came.
    private var connection: QMPConnection?

    /// The state once observation is over; `blockedFirst` marks a QEMU that only greeted after
    /// the other one was started.
    func state(blockedFirst: Bool) -> State {
        if process.isRunning {
            guard monitor != nil else { return .hung }
            return blockedFirst ? .startedAfterPeer : .started
        }
        if process.terminationReason == .uncaughtSignal { return .aborted }
        return process.terminationStatus == 0 ? .exited : .refused
    }

    /// `query-chardev`'s entries as (label, filename), nil when QEMU does not answer.
    func chardevs() -> [(label: String, filename: String)]? {
        guard let monitor, process.isRunning,
              let reply = monitor.execute("query-chardev", until: .now + .seconds(3)),
              let data = reply.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let entries = object["return"] as? [[String: Any]]
        else { return nil }
        return entries.compactMap { entry in
            guard let label = entry["label"] as? String, let filename = entry["filename"] as? String else { return nil }
            return (label, filename)
        }
    }

    func kill() {
        connection = nil
        monitor = nil
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }
}
