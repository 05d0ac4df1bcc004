import Glibc

/// A spawned program (QEMU or `lockstep serve`) for the benchmark and the tests: its own
/// process group, stdin and stdout on /dev/null, stderr to a file, and a guaranteed kill.
public final class ChildProcess {
    public let executable: String
    public let arguments: [String]
    public let stderrPath: String?
    public private(set) var pid: pid_t
    /// Exit status once reaped: the exit code, or 128 + the signal number.
    public private(set) var exitStatus: Int32?

    public init(executable: String, arguments: [String], stderrPath: String? = nil) throws(SystemCallError) {
        self.executable = executable
        self.arguments = arguments
        self.stderrPath = stderrPath
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A fresh signal state: the spawning thread may block or ignore signals the child needs.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        let argv = ([executable] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var cArgv: [UnsafeMutablePointer<CChar>?] = argv + [nil]
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, &cArgv, environ)
        guard result == 0 else { throw SystemCallError("posix_spawn", target: executable, code: result) }
        pid = child
    }

    deinit { kill() }

    public var commandLine: String { ([executable] + arguments).joined(separator: " ") }

    public var isRunning: Bool {
        guard exitStatus == nil, pid > 0 else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            record(status)
            return false
        }
        return true
    }

    public func send(signal number: Int32) {
        if isRunning { _ = Glibc.kill(pid, number) }
    }

    /// Waits up to `timeoutMs` for the exit; returns the status, or nil if still running.
    @discardableResult
    public func wait(timeoutMs: Int) -> Int32? {
        let deadline = MonotonicClock.nanoseconds() + Int64(timeoutMs) * 1_000_000
        while isRunning {
            if MonotonicClock.nanoseconds() >= deadline { return nil }
            usleep(2_000)
        }
        return exitStatus
    }

    /// SIGKILL and reap (nothing flushed).
    public func kill() {
        guard isRunning else { return }
        _ = Glibc.kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        record(status)
    }

    /// User plus system CPU seconds so far (Linux /proc), nil once reaped.
    public var cpuSeconds: Double? {
        guard isRunning, let file = fopen("/proc/\(pid)/stat", "r") else { return nil }
        defer { fclose(file) }
        var bytes = [UInt8](repeating: 0, count: 1024)
        let count = fread(&bytes, 1, bytes.count, file)
        let text = String(decoding: bytes[0..<count], as: UTF8.self)
        // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The captured stderr (bounded).
    public func stderrText(limit: Int = 65_536) -> String {
        guard let stderrPath, let file = fopen(stderrPath, "r") else { return "" }
        defer { fclose(file) }
        var bytes = [UInt8](repeating: 0, count: limit)
        let count = fread(&bytes, 1, limit, file)
        return String(decoding: bytes[0..<count], as: UTF8.self)
    }

    private func record(_ status: Int32) {
        let signal = status & 0x7f
        exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        pid = 0
    }
}
