import Fabric

/// A re-armable wake-up for a sans-I/O component whose deadline moves often (TCP timers).
///
/// Arming later than an already armed instant keeps the earlier event (the component simply
/// re-arms when it wakes); arming earlier queues a new event and the older one is ignored when
/// it runs. This avoids a cancel and a closure allocation per deadline change.
final class WakeupTimer: EventHandler {
    private let scheduler: Scheduler
    private let label: EventLabel
    private let fire: () -> Void
    private(set) var armedAt: VirtualTime?

    init(scheduler: Scheduler, label: EventLabel, fire: @escaping () -> Void) {
        self.scheduler = scheduler
        self.label = label
        self.fire = fire
    }

    func arm(at deadline: VirtualTime?) {
        guard let deadline else { return }
        let at = max(deadline, scheduler.now)
        if let armedAt, armedAt <= at { return }
        armedAt = at
        scheduler.schedule(at: at, label, handler: self, code: 0)
    }

    func disarm() {
        armedAt = nil
    }

    func handleEvent(_ code: Int) {
        guard let armedAt, armedAt == scheduler.now else { return }
        self.armedAt = nil
        fire()
    }
}
