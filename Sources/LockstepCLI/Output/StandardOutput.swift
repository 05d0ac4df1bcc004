@preconcurrency import Glibc  // C stdout, read only at exit

/// Reports must not vanish into a full disk with exit status 0: at exit, standard output is
/// flushed and, when any write to it failed, the process says so and exits with status 74
/// (EX_IOERR). Installed first thing in `main`, so it covers every way a command ends,
/// ArgumentParser's help and errors included.
enum StandardOutput {
    static func checkAtExit() {
        atexit {
            let flushed = fflush(stdout) == 0
            let code = errno
            guard !flushed || ferror(stdout) != 0 else { return }
            let reason = flushed ? "a write failed" : String(cString: strerror(code))
            let message = Array("Error: cannot write to standard output: \(reason)\n".utf8)
            _ = message.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            _exit(74)  // EX_IOERR
        }
    }
}
