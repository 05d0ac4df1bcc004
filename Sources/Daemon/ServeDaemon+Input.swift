import Glibc
import Fabric
import Primary

extension ServeDaemon {
    /// Reads once from a ready input and hands the bytes to its frontend. End of stream or a
    /// read error is a disconnect.
    func readInput(_ index: Int, nowMs: Int64) {
        let chardev = chardevs[index]
        let count = recv(chardev.connection, readBuffer.baseAddress, readBuffer.count, 0)
        if count > 0 {
            let chunk = UnsafeRawBufferPointer(rebasing: readBuffer[0..<count])
            switch chardev.frontend {
            case .primaryIn(let compare): feed(hosts[compare], .primary, chunk, nowMs: nowMs)
            case .secondaryIn(let compare): feed(hosts[compare], .secondary, chunk, nowMs: nowMs)
            case .notifyDev(let compare): feed(hosts[compare], .notify, chunk, nowMs: nowMs)
            case .monitor: feedMonitor(index, chunk, nowMs: nowMs)
            case .unused, .outdev: break
            }
            return
        }
        let code = errno
        if count < 0 && (code == EAGAIN || code == EWOULDBLOCK || code == EINTR) { return }
        connectionLost(index, nowMs: nowMs, reason: count == 0 ? "end of stream" : String(cString: strerror(code)))
    }

    /// Feeds a chunk to one of a compare's readers; a framing error stops that input for good
    /// (W-10), as QEMU removes its handlers. Then keeps output buffers bounded and applies
    /// backpressure.
    private func feed(_ host: CompareHost, _ input: CompareInput, _ chunk: UnsafeRawBufferPointer, nowMs: Int64) {
        let error = host.receive(chunk, on: input, nowMs: nowMs, router: router(for: host))
        if let error {
            host.counters.framingErrors &+= 1
            logger.error("colo-compare '\(host.id)' \(input.role) error: \(error); this input is not read any more (W-10)")
            switch input {
            case .primary: host.primary.stopped = true
            case .secondary: host.secondary.stopped = true
            case .notify: host.notifyReader?.stopped = true
            }
        }
        if host.outdev.bufferedBytes >= Self.outputFlushThreshold { flushOutput(host, .outdev, nowMs: nowMs) }
        if let notify = host.notify, notify.bufferedBytes >= Self.outputFlushThreshold { flushOutput(host, .notifyDev, nowMs: nowMs) }
        updateBackpressure(host)
    }

    static var outputFlushThreshold: Int { 1 << 20 }

    /// Routes the engine's actions (`ActionRouter`).
    func perform(_ host: CompareHost) {
        host.route(router(for: host))
    }

    func router(for host: CompareHost) -> ActionRouter {
        ActionRouter(compare: host.id, decisionLog: decisionLog, logger: logger, timeUs: decisionLog == nil ? 0 : clock.microseconds)
    }

    /// Stops reading a compare's inputs while its unwritten output exceeds the limit, so a peer
    /// that never reads cannot make the daemon grow without bound.
    func updateBackpressure(_ host: CompareHost) {
        guard options.maxPendingOutput > 0 else { return }
        let pending = host.pendingOutput
        if !host.inputsPaused && pending > options.maxPendingOutput {
            host.inputsPaused = true
            logger.warning("colo-compare '\(host.id)': \(pending) records wait for a peer that is not reading; pausing primary_in and secondary_in")
        } else if host.inputsPaused && pending <= options.maxPendingOutput / 2 {
            host.inputsPaused = false
            logger.notice("colo-compare '\(host.id)': output backlog drained to \(pending); reading inputs again")
        }
    }
}
