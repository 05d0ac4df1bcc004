import Fabric
import GuestStack
import Deployment

/// A guest VM behind its NIC: the guest's TCP/IP stack and applications (`StackHost`), driven
/// by the scheduler the way vCPUs would run it.
///
/// Frames the net core delivers go into the stack at once; what the guest sends in reply leaves
/// through the NIC in a separate event at the same instant (the vCPU runs after the device
/// model, so a reply never re-enters the walk that delivered its cause).
///
/// The guest's clock is the host clock minus the time the VM spent stopped: QEMU's virtual
/// clock (and kvmclock) stand still while the VM is stopped, so a checkpoint pause does not fire
/// the guest's TCP timers. Loading a checkpoint copies the primary guest's state, clock included.
final class GuestMachine: NetEndpoint, EventHandler {
    struct Counters: Sendable, Hashable {
        var framesIn = 0
        var framesOut = 0
        var checkpointsLoaded = 0
        var framesInjected = 0
    }

    let role: HostRole
    /// Unchecked: accessed on every frame, and the stack never calls back into this machine.
    @exclusivity(unchecked) private(set) var host: StackHost
    private let scheduler: Scheduler
    private unowned let core: NetCore
    /// The net core owns its clients, and the NIC's endpoint is this machine: a strong
    /// reference here would be a cycle that outlives the run.
    private(set) unowned var nic: NetClient?
    private(set) var counters = Counters()
    /// Time the VM has spent stopped, not seen by the guest.
    private(set) var pausedTotal = VirtualDuration.zero
    /// The guest clock while the VM is stopped.
    private(set) var frozenAt: VirtualTime?
    private(set) var isStalled = false
    private(set) var isAlive = true
    var onFrameIn: ((Frame) -> Void)?
    var onFrameOut: ((Frame) -> Void)?

    private var outputScheduled = false
    private var outbox: [Frame] = []
    private let outputLabel: EventLabel
    private lazy var timer = WakeupTimer(
        scheduler: scheduler, label: EventLabel("\(role) guest timer")) { [unowned self] in self.timerFired() }
    /// An armed "the next N responses diverge": how many remain and the served count they
    /// are counted from.
    private var divergence: (remaining: Int, base: Int, restoreKnobs: DivergenceKnobs)?

    init(role: HostRole, host: StackHost, scheduler: Scheduler, core: NetCore) {
        self.role = role
        self.host = host
        self.scheduler = scheduler
        self.core = core
        outputLabel = EventLabel("\(role) guest output")
    }

    func attach(nic: NetClient) {
        self.nic = nic
    }

    var guestNow: VirtualTime {
        frozenAt ?? VirtualTime(nanoseconds: scheduler.now.nanoseconds - pausedTotal.nanoseconds)
    }

    private var runs: Bool { isAlive && !isStalled && frozenAt == nil }

    // MARK: NetEndpoint

    func canReceive() -> Bool { isAlive && !isStalled }

    func receive(_ frame: Frame, from sender: NetClient) -> EndpointReceipt {
        counters.framesIn += 1
        onFrameIn?(frame)
        host.receive(frame, at: guestNow, choices: scheduler.chooser)
        afterActivity()
        return .accepted
    }

    // MARK: Driving

    func start() {
        host.start(at: guestNow, choices: scheduler.chooser)
        afterActivity()
    }

    func handleEvent(_ code: Int) {
        outputScheduled = false
        guard runs, let nic else { return }
        outbox.removeAll(keepingCapacity: true)
        host.takeOutput(into: &outbox)
        for frame in outbox {
            counters.framesOut += 1
            onFrameOut?(frame)
            core.send(frame, from: nic)
        }
    }

    /// The guest's own outbound connections (``COLORunConfiguration/guestWorkload``), if any.
    var outboundReports: [ClientConnectionReport] {
        host.applications.indices.lazy.compactMap { self.host.application($0, as: ConnectionWorkload.self) }.first?.reports ?? []
    }

    /// Sends frames the guest's applications did not produce (scenario hooks), through the NIC
    /// like any other output; a guest that is stopped, stalled or gone sends nothing.
    func inject(_ kind: InjectedFrameKind, count: Int) {
        guard runs, let nic else { return }
        let configuration = host.withStack { $0.configuration }
        for _ in 0..<count {
            let frame = kind.frame(mac: configuration.mac, address: configuration.address, vnetHeaderLength: configuration.vnetHeaderLength)
            counters.framesOut += 1
            counters.framesInjected += 1
            onFrameOut?(frame)
            core.send(frame, from: nic)
        }
    }

    private func timerFired() {
        guard runs else { return }
        host.advance(to: guestNow, choices: scheduler.chooser)
        afterActivity()
    }

    private func afterActivity() {
        if divergence != nil { checkDivergence() }
        guard runs else { return }
        if host.hasOutput && !outputScheduled {
            outputScheduled = true
            scheduler.schedule(at: scheduler.now, outputLabel, handler: self, code: 0)
        }
        if let deadline = host.nextDeadline {
            timer.arm(at: VirtualTime(nanoseconds: deadline.nanoseconds + pausedTotal.nanoseconds))
        }
    }

    // MARK: VM state

    /// The VM stopped: the guest clock stands still and nothing runs.
    func pause() {
        guard frozenAt == nil else { return }
        frozenAt = guestNow
        timer.disarm()
    }

    /// The VM runs again: the clock resumes where it stopped; pending output leaves.
    func resume() {
        guard let frozen = frozenAt else { return }
        pausedTotal = VirtualDuration(nanoseconds: scheduler.now.nanoseconds - frozen.nanoseconds)
        frozenAt = nil
        afterActivity()
    }

    /// K-7 step 3: this (stopped) guest becomes a copy of `source`'s whole network state, its
    /// clock included, while keeping its own identity (name, knobs).
    func load(from source: GuestMachine) {
        let diverged = divergence.map { servedResponses - $0.base }
        host.loadCheckpoint(from: source.host)
        frozenAt = source.frozenAt ?? source.guestNow
        counters.checkpointsLoaded += 1
        if let diverged, let armed = divergence {
            divergence = (armed.remaining, servedResponses - diverged, armed.restoreKnobs)
        }
    }

    /// The vCPUs stop being scheduled until `end`; frames wait in the NIC's queue.
    func stall(until end: VirtualTime) {
        isStalled = true
        timer.disarm()
        scheduler.schedule(at: end, EventLabel("\(role) guest stall ends")) { [weak self] in self?.endStall() }
    }

    private func endStall() {
        guard isStalled else { return }
        isStalled = false
        if let nic { core.flushQueuedFrames(of: nic) }
        guard runs else { return }
        host.advance(to: guestNow, choices: scheduler.chooser)
        afterActivity()
    }

    /// The host is gone.
    func kill() {
        isAlive = false
        timer.disarm()
    }

    // MARK: Knobs

    func setKnobs(_ knobs: DivergenceKnobs) {
        var replacement = StackHost(stack: NetworkStack(configuration: host.stack.configuration), applications: [], knobs: knobs)
        replacement.loadCheckpoint(from: host)
        host = replacement
    }

    /// The next `count` responses carry a token (knob `tokenRate` = always until then).
    func divergeResponses(count: Int) {
        let restore = divergence?.restoreKnobs ?? host.knobs
        var knobs = host.knobs
        knobs.tokenRate = .always
        setKnobs(knobs)
        divergence = (count, servedResponses, restore)
    }

    private func checkDivergence() {
        guard let armed = divergence, servedResponses - armed.base >= armed.remaining else { return }
        divergence = nil
        setKnobs(armed.restoreKnobs)
    }

    /// Responses served by the guest's request/response servers so far.
    var servedResponses: Int {
        var total = 0
        for index in host.applications.indices {
            if let server = host.application(index, as: RequestResponseServer.self) {
                for connection in server.connections { total += connection.requestsServed }
            }
        }
        return total
    }
}
