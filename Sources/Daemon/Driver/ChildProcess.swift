import Glibc
import Fabric

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
        switch ProcessSpawner.spawn(executable: executable, arguments: arguments, stderrPath: stderrPath) {
        case .success(let child): pid = child
        case .failure(let error): throw SystemCallError("posix_spawn", target: executable, code: error.code)
        }
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
        record(ProcessSpawner.killAndReap(pid))
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
        guard let stderrPath else { return "" }
        return ProcessSpawner.head(ofFile: stderrPath, limit: limit)
    }

    private func record(_ status: Int32) {
        let signal = status & 0x7f
        exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        pid = 0
    }
}
