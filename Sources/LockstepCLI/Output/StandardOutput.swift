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
            var reason = String(cString: strerror(code))
            if flushed {
                // An earlier write failed and its errno is gone: one more byte (a final newline
                // on output that is incomplete anyway) finds out why.
                clearerr(stdout)
                reason = write(STDOUT_FILENO, "\n", 1) < 0 ? String(cString: strerror(errno)) : "a write failed"
            }
            let message = Array("Error: cannot write to standard output: \(reason)\n".utf8)
            _ = message.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            _exit(74)  // EX_IOERR
        }
    }
}
