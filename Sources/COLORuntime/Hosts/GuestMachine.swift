import Fabric
import GuestStack
import Deployment

/// A guest VM behind its NIC: the guest's TCP/IP stack and applications (`StackHost`), driven
/// by the scheduler the way vCPUs would run it.
///
/// Frames the net core delivers go into the stack at once; what the guest sends in reply leaves
/// through the NIC in a separate event at the same instant (the vCPU runs after the device
/// model, so a reply never re-enters the walk that delivered its cause). Whether a frame is taken
/// at all follows the NIC model's rule (`NICReceiveRule`): a stopped VM or a stalled guest does
/// not take what QEMU's NIC would refuse.
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
        /// Frames the NIC refused (dropped by the net core as `receiverRefused`): virtio-net
        /// while the VM is stopped.
        var refusedWhileStopped = 0
        /// Frames the NIC refused for want of a receive buffer (e1000's overrun): the guest was
        /// stalled.
        var refusedWithoutBuffer = 0
    }

    let role: HostRole
    /// Unchecked: accessed on every frame, and the stack never calls back into this machine.
    @exclusivity(unchecked) private(set) var host: StackHost
    private let scheduler: Scheduler
    private unowned let core: NetCore
    private let nicRule: NICReceiveRule
    private(set) var nic: NetClient?
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
    /// Output taken from the stack that waits for the main loop: the vCPU blocked at its device
    /// access while a filter's write wedges the loop (M-4, R-3).
    private var heldOutput: [Frame] = []
    private let outputLabel: EventLabel
    private lazy var timer = WakeupTimer(
        scheduler: scheduler, label: EventLabel("\(role) guest timer")) { [unowned self] in self.timerFired() }
    /// An armed "the next N responses diverge": how many remain and the served count they
    /// are counted from.
    private var divergence: (remaining: Int, base: Int, restoreKnobs: DivergenceKnobs)?

    init(role: HostRole, host: StackHost, scheduler: Scheduler, core: NetCore, nicRule: NICReceiveRule) {
        self.role = role
        self.host = host
        self.scheduler = scheduler
        self.core = core
        self.nicRule = nicRule
        outputLabel = EventLabel("\(role) guest output")
    }

    /// Lets go of the NIC when the host is torn down (the NIC holds this guest as its endpoint).
    func detachNIC() {
        nic = nil
    }

    func attach(nic: NetClient) {
        self.nic = nic
    }

    var guestNow: VirtualTime {
        frozenAt ?? VirtualTime(nanoseconds: scheduler.now.nanoseconds - pausedTotal.nanoseconds)
    }

    private var runs: Bool { isAlive && !isStalled && frozenAt == nil }

    // MARK: NetEndpoint

    func canReceive() -> Bool {
        isAlive && nicRule.canReceive(vmRunning: core.isVMRunning, stalled: isStalled)
    }

    func receive(_ frame: Frame, from sender: NetClient) -> EndpointReceipt {
        let (receipt, refusal) = nicRule.receipt(vmRunning: core.isVMRunning, stalled: isStalled)
        switch refusal {
        case .vmStopped: counters.refusedWhileStopped += 1
        case .noReceiveBuffer: counters.refusedWithoutBuffer += 1
        case nil: break
        }
        guard receipt == .accepted else { return receipt }
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
        guard !core.mainLoop.isWedged else { return waitForMainLoop() }
        outbox.removeAll(keepingCapacity: true)
        if !heldOutput.isEmpty {
            outbox = heldOutput
            heldOutput.removeAll()
        }
        host.takeOutput(into: &outbox)
        for (index, frame) in outbox.enumerated() {
            counters.framesOut += 1
            onFrameOut?(frame)
            core.send(frame, from: nic)
            // A blocked write in this walk, or deeper in it (a filter's re-injection): the
            // send has not returned in QEMU, and the vCPU waits with it.
            if core.mainLoop.isWedged {
                heldOutput = Array(outbox[(index + 1)...])
                return waitForMainLoop()
            }
        }
    }

    /// The vCPU sends again once the main loop is free.
    private func waitForMainLoop() {
        guard !outputScheduled else { return }
        outputScheduled = true
        core.mainLoop.run { [unowned self] in handleEvent(0) }
    }

    /// The guest's own outbound connections (``COLORunConfiguration/guestWorkload``), if any.
    var outboundReports: [ClientConnectionReport] {
        host.applications.indices.lazy.compactMap { self.host.application($0, as: ConnectionWorkload.self) }.first?.reports ?? []
    }

    /// Sends frames the guest's applications did not produce (scenario hooks), through the NIC
    /// like any other output; a guest that is stopped, stalled or gone sends nothing.
    func inject(_ kind: InjectedFrameKind, count: Int) {
        guard runs, let nic else { return }
        guard !core.mainLoop.isWedged else {
            core.mainLoop.run { [unowned self] in inject(kind, count: count) }
            return
        }
        let configuration = host.withStack { $0.configuration }
        for sent in 1...max(1, count) where count > 0 {
            let frame = kind.frame(mac: configuration.mac, address: configuration.address, vnetHeaderLength: configuration.vnetHeaderLength)
            counters.framesOut += 1
            counters.framesInjected += 1
            onFrameOut?(frame)
            core.send(frame, from: nic)
            if core.mainLoop.isWedged, sent < count {
                core.mainLoop.run { [unowned self] in inject(kind, count: count - sent) }
                return
            }
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
        heldOutput.removeAll()
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

    /// The vCPUs run again and post receive buffers, and the NIC asks for what waits in its
    /// queue — unless the VM is stopped meanwhile: then nothing runs until it starts, and the
    /// start's flush (F-14) delivers.
    private func endStall() {
        guard isStalled else { return }
        isStalled = false
        guard core.isVMRunning else { return }
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
