import DequeModule
import Fabric
import Deployment

/// A tap netdev's host side: frames from the host network wait in the kernel's tap queue until
/// QEMU reads them, and frames the net core delivers to the tap go out on the host network.
///
/// QEMU reads the tap whenever its read polling is on, whether or not the netdev can send (since
/// 2.4, `tap_send`): each frame read walks the filters at once and only then meets the net
/// core's queue (F-12). A frame that is queued there — the VM is stopped, or the NIC cannot
/// receive — turns polling off until its completion callback, so one client frame per primary
/// stop is mirrored to the secondary in the middle of the checkpoint (K-5, K-8) while the rest
/// wait in the kernel. Polling resumes in a later main-loop turn, never inside the flush that
/// completed the send. A send that fails (a negative return) ends this turn's reading but leaves
/// polling on, and one turn reads at most 50 frames.
final class TapBackend: NetEndpoint, EventHandler {
    struct Counters: Sendable, Hashable {
        /// Frames from the host network.
        var arrived = 0
        /// Frames QEMU read and sent into the net core.
        var read = 0
        /// Dropped because the kernel queue was full.
        var hostQueueFull = 0
        /// Arrived after the host was gone.
        var hostDown = 0
        /// Frames the net core delivered to the tap, put on the host network.
        var transmitted = 0
    }

    /// The kernel's default tap `txqueuelen`: frames beyond it are dropped.
    static let hostQueueLimit = 1_000

    let role: HostRole
    let name: String
    private unowned let core: NetCore
    private let scheduler: Scheduler
    /// Bytes of virtio-net header the netdev carries (added on read, removed on transmit).
    let vnetHeaderLength: Int
    private(set) var netdev: NetClient?
    private(set) var counters = Counters()
    private(set) var isAlive = true
    /// Where transmitted frames go (the host network).
    var transmit: (Frame) -> Void = { _ in }
    /// Sees every frame the net core delivers to the tap, before it leaves.
    var onDelivered: ((Frame) -> Void)?

    private var hostQueue = Deque<Frame>()
    private var awaitingCompletion = false
    /// A read waits for the main loop (wedged in a blocked write).
    private var readDeferred = false
    private var pollScheduled = false
    private let pollLabel: EventLabel

    init(role: HostRole, name: String, core: NetCore, scheduler: Scheduler, vnetHeaderLength: Int) {
        self.role = role
        self.name = name
        self.core = core
        self.scheduler = scheduler
        self.vnetHeaderLength = vnetHeaderLength
        pollLabel = EventLabel("\(role) tap \(name) read")
    }

    /// Lets go of the netdev when the host is torn down (the netdev holds this tap as its endpoint).
    func detachNetdev() {
        netdev = nil
    }

    func attach(netdev: NetClient) {
        self.netdev = netdev
    }

    var waiting: Int { hostQueue.count }

    // MARK: Toward the host network

    func canReceive() -> Bool { true }

    func receive(_ frame: Frame, from sender: NetClient) -> EndpointReceipt {
        counters.transmitted += 1
        onDelivered?(frame)
        if vnetHeaderLength == 0 {
            transmit(frame)
        } else {
            transmit(Frame(Array(frame.bytes.dropFirst(vnetHeaderLength))))
        }
        return .accepted
    }

    // MARK: From the host network

    func arrive(_ frame: Frame) {
        counters.arrived += 1
        guard isAlive else {
            counters.hostDown += 1
            return
        }
        guard hostQueue.count < Self.hostQueueLimit else {
            counters.hostQueueFull += 1
            return
        }
        if vnetHeaderLength == 0 {
            hostQueue.append(frame)
        } else {
            hostQueue.append(Frame([UInt8](repeating: 0, count: vnetHeaderLength) + frame.bytes, vnetHeaderLength: UInt32(vnetHeaderLength)))
        }
        read()
    }

    /// QEMU's `tap_send`: reads what the kernel holds while polling is on (no send awaits its
    /// completion), at most `framesPerTurn` frames.
    func read() {
        guard isAlive, let netdev else { return }
        guard !core.mainLoop.isWedged else { return readWhenMainLoopFree() }
        var framesThisTurn = 0
        while !awaitingCompletion, let frame = hostQueue.first {
            hostQueue.removeFirst()
            counters.read += 1
            let outcome = core.send(frame, from: netdev, withCompletion: true)
            switch outcome.fate {
            case .queued, .blocked:
                // Queued: polling stops until the completion. Blocked in a filter's write: the
                // walk (and this loop) goes on when the write ends, which completes the send.
                awaitingCompletion = true
                return
            case .delivered, .stolen, .dropped:
                break
            }
            // A write deeper in the walk (a filter's re-injection) blocks: the send has not
            // returned in QEMU, so reading waits for the main loop.
            if core.mainLoop.isWedged { return readWhenMainLoopFree() }
            framesThisTurn += 1
            if outcome.returnValue < 0 || framesThisTurn >= Self.framesPerTurn {
                // Polling stays on: the main loop calls back while the kernel holds frames.
                schedulePoll()
                return
            }
        }
    }

    /// Reading the tap is main-loop work: it waits while a blocked write wedges the loop.
    private func readWhenMainLoopFree() {
        guard !readDeferred else { return }
        readDeferred = true
        core.mainLoop.run { [unowned self] in
            readDeferred = false
            read()
        }
    }

    /// `tap_send` stops after this many frames so that a busy host network cannot hog the
    /// main loop.
    static let framesPerTurn = 50

    /// A queued send completed: reading resumes in a later turn.
    func sendCompleted() {
        awaitingCompletion = false
        schedulePoll()
    }

    /// The main loop polls the tap again (reading happens in that later turn).
    func schedulePoll() {
        guard !pollScheduled, !hostQueue.isEmpty else { return }
        pollScheduled = true
        scheduler.schedule(at: scheduler.now, pollLabel, handler: self, code: 0)
    }

    func handleEvent(_ code: Int) {
        pollScheduled = false
        read()
    }

    /// The host is gone: what the kernel held is lost with it.
    func kill() {
        isAlive = false
        counters.hostDown += hostQueue.count
        hostQueue.removeAll()
    }
}
