import Fabric

/// The run's progress watchdog (`watchdog: progress_timeout`), the same for an emulated and a
/// real run: the run stops with `no_progress` once the client's applications have moved no byte
/// for the timeout.
package struct ProgressWatch {
    private var bytes = 0
    private var since = VirtualTime.zero

    package init() {}

    /// Looks at the bytes moved so far; answers the instant progress stopped once it has stood
    /// still for `timeout`, nil while the workload moves.
    package mutating func stalledSince(bytes: Int, now: VirtualTime, timeout: VirtualDuration) -> VirtualTime? {
        if bytes != self.bytes {
            self.bytes = bytes
            since = now
            return nil
        }
        return now - since >= timeout ? since : nil
    }
}
