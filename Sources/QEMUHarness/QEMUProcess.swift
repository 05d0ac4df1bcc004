import Glibc
import Fabric

/// One spawned QEMU: its pid, its stderr file, and a guaranteed kill.
///
/// Started by `ProcessSpawner` (own process group, stdin/stdout on /dev/null), with stderr in a
/// file of the oracle's temporary directory, so that a failure report can quote it.
final class QEMUProcess {
    let executable: String
    let arguments: [String]
    let stderrPath: String
    private(set) var pid: pid_t
    private(set) var exitStatus: String?

    init(executable: String, arguments: [String], stderrPath: String) throws(OracleError) {
        self.executable = executable
        self.arguments = arguments
        self.stderrPath = stderrPath
        switch ProcessSpawner.spawn(executable: executable, arguments: arguments, stderrPath: stderrPath) {
        case .success(let child): pid = child
        case .failure(let error): throw .spawnFailed(executable: executable, errno: error.code)
        }
    }

    deinit { kill() }

    var commandLine: String { ([executable] + arguments).joined(separator: " ") }

    /// Non-blocking liveness check; records the exit status the first time it is seen.
    var isRunning: Bool {
        guard pid > 0, exitStatus == nil else { return false }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid {
            exitStatus = Self.describe(status)
            pid = 0
            return false
        }
        return true
    }

    /// SIGKILL and reap. QEMU's graceful shutdown would flush the compare's queues into the
    /// capture sockets, which no test wants to see; the oracle is disposable.
    func kill() {
        guard pid > 0, exitStatus == nil else { return }
        exitStatus = Self.describe(ProcessSpawner.killAndReap(pid))
        pid = 0
    }

    /// QEMU's stderr so far (bounded, so a chatty QEMU cannot flood a report).
    func stderrText(limit: Int = 16_384) -> String {
        ProcessSpawner.head(ofFile: stderrPath, limit: limit)
    }

    private static func describe(_ status: Int32) -> String {
        let signal = status & 0x7f
        if signal == 0 { return "exit code \((status >> 8) & 0xff)" }
        return "signal \(signal)"
    }
}
