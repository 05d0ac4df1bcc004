import Glibc

/// The write end the signal handler uses; a handler cannot capture context, so it is global.
/// Written once before the handlers are installed, read only by them afterwards.
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// The self-pipe trick: SIGTERM, SIGINT and SIGUSR1 become bytes on a pipe the poll loop reads,
/// so signals are handled on the loop's own thread, between two steps, never inside one.
/// SIGPIPE is ignored: a peer that vanishes must surface as a write error (C-25), not kill us.
enum SignalPipe {
    static let handled: [Int32] = [SIGTERM, SIGINT, SIGUSR1]

    /// Installs the handlers; returns the read end (non-blocking). Call once per process.
    static func install() throws(SystemCallError) -> Int32 {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw SystemCallError("pipe", target: "signal pipe", code: errno)
        }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        signalPipeWriteEnd = ends[1]
        for number in handled {
            signal(number) { received in
                let saved = errno
                var byte = UInt8(truncatingIfNeeded: received)
                _ = write(signalPipeWriteEnd, &byte, 1)
                errno = saved
            }
        }
        signal(SIGPIPE, SIG_IGN)
        // A parent may have left them blocked (the mask is inherited across exec).
        var mask = sigset_t()
        sigemptyset(&mask)
        for number in handled { sigaddset(&mask, number) }
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
        return ends[0]
    }

    /// The signals received since the last call, in arrival order.
    static func drain(_ readEnd: Int32) -> [Int32] {
        var received: [Int32] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            guard count > 0 else { return received }
            received += buffer[0..<count].map { Int32($0) }
        }
    }
}
