import Glibc

/// Starts a helper program (QEMU, `lockstep serve`) the way the differential tests, the daemon's
/// tests and the serve benchmark all need it: its own process group (so a kill reaches nothing
/// else), stdin and stdout on /dev/null, stderr into a file, and a fresh signal state (the
/// spawning thread may block or ignore signals the child needs).
public enum ProcessSpawner {
    /// The child's pid, or the `posix_spawn` error number.
    public static func spawn(executable: String, arguments: [String], stderrPath: String?) -> Result<pid_t, SpawnError> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
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
        return result == 0 ? .success(child) : .failure(SpawnError(code: result))
    }

    public struct SpawnError: Error {
        public var code: Int32
    }

    /// SIGKILL a child and reap it; returns its wait status.
    public static func killAndReap(_ pid: pid_t) -> Int32 {
        _ = Glibc.kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    /// The first `limit` bytes of a captured stderr file ("" when it cannot be read).
    public static func head(ofFile path: String, limit: Int) -> String {
        guard let file = fopen(path, "r") else { return "" }
        defer { fclose(file) }
        var bytes = [UInt8](repeating: 0, count: limit)
        let count = fread(&bytes, 1, limit, file)
        return String(decoding: bytes[0..<count], as: UTF8.self)
    }
}
