import DequeModule
import Fabric
import Deployment

/// A tap netdev's host side: frames from the host network wait in the kernel's tap queue until
/// QEMU reads them, and frames the net core delivers to the tap go out on the host network.
///
/// QEMU reads the tap only while the netdev can send (F-12: the VM runs and the NIC can
/// receive), so client frames arriving during a checkpoint wait here and the mirror sees them
/// after the restart. When a send is queued in the net core, reading stops until its completion
/// callback; reading resumes in a later main-loop turn, never inside the flush that completed it.
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
    /// The net core owns its clients, and the netdev's endpoint is this tap: a strong reference
    /// here would be a cycle that outlives the run.
    private(set) unowned var netdev: NetClient?
    private(set) var counters = Counters()
    private(set) var isAlive = true
    /// Where transmitted frames go (the host network).
    var transmit: (Frame) -> Void = { _ in }
    /// Sees every frame the net core delivers to the tap, before it leaves.
    var onDelivered: ((Frame) -> Void)?

    private var hostQueue = Deque<Frame>()
    private var awaitingCompletion = false
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

    /// Reads what the kernel holds while the netdev can send and no send is pending.
    func read() {
        guard isAlive, let netdev else { return }
        while !awaitingCompletion, let frame = hostQueue.first, core.canSend(netdev) {
            hostQueue.removeFirst()
            counters.read += 1
            if case .queued = core.send(frame, from: netdev, withCompletion: true).fate {
                awaitingCompletion = true
            }
        }
    }

    /// A queued send completed: reading resumes in a later turn.
    func sendCompleted() {
        awaitingCompletion = false
        schedulePoll()
    }

    /// The VM may have started or the NIC may receive again.
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
