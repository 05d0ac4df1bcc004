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

    /// CPU time and peak resident set so far (Linux /proc), nil once reaped.
    public var usage: ProcessUsage? {
        guard isRunning else { return nil }
        return ProcessUsage.of(pid)
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
