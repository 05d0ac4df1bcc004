import DequeModule

/// A QEMU process's main loop, as far as the network path needs it: the thread that runs the
/// net core's walks, tap reads, filters' chardev reads and QMP, holding the big lock while it
/// does.
///
/// A filter's write to a full socket does not return until the whole record is in the socket
/// (M-4, R-3), and QEMU waits by polling only its own context, inside the walk. So while such a
/// write waits the loop is wedged: nothing else of the process that needs the loop or the big
/// lock runs — taps are not read, redirectors do not read their indev, vCPUs block at their next
/// device access, QMP commands and the COLO threads' VM stops and starts wait. Work that arrives
/// meanwhile waits here, in order, and runs once the loop is free again (in an event of its own,
/// never inside the write that freed it).
public final class MainLoop {
    /// Walks waiting in a blocked write.
    public private(set) var blockedWrites = 0
    /// Times the loop wedged, and the virtual time it spent wedged (up to the last release).
    public private(set) var wedges = 0
    public private(set) var wedgedTime = VirtualDuration.zero
    public private(set) var wedgedSince: VirtualTime?
    /// Runs deferred work in events; without one (unit tests) it runs at once on release.
    public let scheduler: Scheduler?

    private var deferred = Deque<() -> Void>()
    private var drainScheduled = false
    private var observers: [(Bool) -> Void] = []
    private let drainLabel: EventLabel

    public init(name: String = "main loop", scheduler: Scheduler? = nil) {
        self.scheduler = scheduler
        drainLabel = EventLabel("\(name) free")
    }

    public var isWedged: Bool { blockedWrites > 0 }
    /// Work waiting for the loop.
    public var deferredWork: Int { deferred.count }

    /// Runs `work` now, or once the loop is free, after what waits already.
    public func run(_ work: @escaping () -> Void) {
        if !isWedged && deferred.isEmpty {
            work()
        } else {
            deferred.append(work)
        }
    }

    /// A finished run: the work still waiting for a loop that stayed wedged is dropped unrun (it
    /// holds the components that hold this loop).
    public func discardDeferredWork() {
        deferred.removeAll()
    }

    /// `observer` hears `true` when the loop wedges and `false` when it is free again.
    public func observeWedging(_ observer: @escaping (Bool) -> Void) {
        observers.append(observer)
    }

    func enterBlockedWrite() {
        blockedWrites += 1
        guard blockedWrites == 1 else { return }
        wedges += 1
        wedgedSince = scheduler?.now
        for observer in observers { observer(true) }
    }

    func leaveBlockedWrite() {
        blockedWrites -= 1
        guard blockedWrites == 0 else { return }
        if let since = wedgedSince, let now = scheduler?.now { wedgedTime = wedgedTime + (now - since) }
        wedgedSince = nil
        for observer in observers { observer(false) }
        scheduleDrain()
    }

    private func scheduleDrain() {
        guard !deferred.isEmpty, !drainScheduled else { return }
        guard let scheduler else { return drain() }
        drainScheduled = true
        scheduler.schedule(at: scheduler.now, drainLabel) { [weak self] in
            self?.drainScheduled = false
            self?.drain()
        }
    }

    private func drain() {
        while !isWedged, let work = deferred.popFirst() {
            work()
        }
    }
}
