import Glibc

/// One spawned QEMU: its pid, its stderr file, and a guaranteed kill.
///
/// QEMU runs in its own process group with stdin/stdout on /dev/null and stderr in a file
/// of the oracle's temporary directory, so that a failure report can quote it.
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
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        let argv = ([executable] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var cArgv: [UnsafeMutablePointer<CChar>?] = argv + [nil]
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, &cArgv, environ)
        guard result == 0 else { throw .spawnFailed(executable: executable, errno: result) }
        pid = child
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
        _ = Glibc.kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        exitStatus = Self.describe(status)
        pid = 0
    }

    /// QEMU's stderr so far (bounded, so a chatty QEMU cannot flood a report).
    func stderrText(limit: Int = 16_384) -> String {
        guard let file = fopen(stderrPath, "r") else { return "" }
        defer { fclose(file) }
        var bytes = [UInt8](repeating: 0, count: limit)
        let count = fread(&bytes, 1, limit, file)
        return String(decoding: bytes[0..<count], as: UTF8.self)
    }

    private static func describe(_ status: Int32) -> String {
        let signal = status & 0x7f
        if signal == 0 { return "exit code \((status >> 8) & 0xff)" }
        return "signal \(signal)"
    }
}
