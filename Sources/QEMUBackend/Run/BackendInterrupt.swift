import Glibc
import Synchronization

/// SIGINT and SIGTERM during a real-QEMU run: the loop notices within one turn, kills and reaps
/// both QEMUs and ends the run, instead of leaving them running (they sit in their own process
/// group, so the terminal's Ctrl-C never reaches them).
enum BackendInterrupt {
    private static let requested = Atomic<Bool>(false)

    static var isRequested: Bool { requested.load(ordering: .relaxed) }

    /// Installs the handlers for the duration of `body`, then restores the previous ones.
    static func catching<R>(_ body: () throws(QEMUBackendError) -> R) throws(QEMUBackendError) -> R {
        requested.store(false, ordering: .relaxed)
        let handler: @convention(c) (Int32) -> Void = { _ in BackendInterrupt.requested.store(true, ordering: .relaxed) }
        let previousInterrupt = signal(SIGINT, handler)
        let previousTerminate = signal(SIGTERM, handler)
        defer {
            signal(SIGINT, previousInterrupt)
            signal(SIGTERM, previousTerminate)
        }
        return try body()
    }
}
