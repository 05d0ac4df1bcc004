import Glibc
import Fabric
import Deployment

/// One spawned QEMU: its own process group, stdin and stdout on /dev/null, stderr in a file of
/// the run's directory. It is killed and reaped when the run ends or this object goes away,
/// whatever state QEMU is in, so a crashed or hung QEMU never outlives Lockstep's run.
final class QEMUChild {
    let role: HostRole
    let stderrPath: String
    private(set) var pid: pid_t = 0
    /// How it ended, once seen ("exit code 1", "signal 9").
    private(set) var exitStatus: String?
    /// Whether Lockstep killed it on purpose (a scripted host loss or the end of the run).
    private(set) var killedByLockstep = false

    init(role: HostRole, executable: String, arguments: [String], stderrPath: String) throws(QEMUBackendError) {
        self.role = role
        self.stderrPath = stderrPath
        switch ProcessSpawner.spawn(executable: executable, arguments: arguments, stderrPath: stderrPath) {
        case .success(let child): pid = child
        case .failure(let error): throw .setup("cannot start \(executable): \(String(cString: strerror(error.code)))")
        }
    }

    deinit { kill() }

    /// Non-blocking: reaps the process if it has exited.
    var isRunning: Bool {
        guard pid > 0 else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            exitStatus = Self.describe(status)
            pid = 0
            return false
        }
        return true
    }

    /// SIGKILL and reap (nothing graceful: QEMU's shutdown would flush compares into sockets
    /// nobody reads any more).
    func kill() {
        guard pid > 0 else { return }
        killedByLockstep = true
        exitStatus = Self.describe(ProcessSpawner.killAndReap(pid))
        pid = 0
    }

    /// Sends `signal` without reaping (a fault played on purpose; the run must notice it).
    func send(signal: Int32) {
        guard pid > 0 else { return }
        _ = Glibc.kill(pid, signal)
    }

    /// Everything QEMU wrote on stderr so far (bounded).
    func stderrText(limit: Int = 1 << 20) -> String {
        ProcessSpawner.head(ofFile: stderrPath, limit: limit)
    }

    /// Waits up to `milliseconds` for the exit to be reported (a socket closes a moment
    /// before the kernel reports the exit).
    func exitStatus(waitingUpTo milliseconds: Int) -> String {
        var waited = 0
        while isRunning && waited < milliseconds {
            usleep(1_000)
            waited += 1
        }
        return exitStatus ?? "still running"
    }

    private static func describe(_ status: Int32) -> String {
        let signal = status & 0x7f
        if signal == 0 { return "exit code \((status >> 8) & 0xff)" }
        return "signal \(signal)"
    }
}

/// What QEMU said when it refused its command line: `qemu-system-x86_64: -netdev X: message`
/// (after a timestamp with `-msg timestamp=on`).
enum StartupRefusal {
    static func parse(_ stderr: String) -> (argument: String?, message: String) {
        for line in stderr.split(separator: "\n") {
            guard let colon = line.range(of: "qemu-system") ?? line.range(of: "qemu:") else { continue }
            let afterProgram = line[colon.lowerBound...].drop { $0 != ":" }.dropFirst().drop { $0 == " " }
            guard afterProgram.hasPrefix("-"), let split = afterProgram.range(of: ": ") else {
                return (nil, String(afterProgram))
            }
            return (String(afterProgram[..<split.lowerBound]), String(afterProgram[split.upperBound...]))
        }
        let first = stderr.split(separator: "\n").first.map(String.init) ?? "no message on stderr"
        return (nil, first)
    }
}
