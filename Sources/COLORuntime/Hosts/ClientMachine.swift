import Fabric
import GuestStack

/// The client outside the COLO pair: a stack running the workload, attached to the host
/// network. It is never paused; its output goes straight onto the network.
final class ClientMachine {
    /// Unchecked: accessed on every frame, and the stack never calls back into this machine.
    @exclusivity(unchecked) private(set) var host: StackHost
    private let scheduler: Scheduler
    private unowned let lan: LanSegment
    private(set) var framesIn = 0
    private(set) var framesOut = 0
    private(set) var finishedAt: VirtualTime?
    var onFrameIn: ((Frame) -> Void)?
    var onFrameOut: ((Frame) -> Void)?
    /// Called once, when the workload has finished.
    var onFinished: (() -> Void)?
    /// Called once, when a connection first reads a body byte the service did not send or ends
    /// in an error; checked only while set (it scans the connection reports).
    var onStreamProblem: (() -> Void)? {
        didSet { streamProblemSeen = false }
    }
    private var streamProblemSeen = false
    private var outbox: [Frame] = []
    private lazy var timer = WakeupTimer(scheduler: scheduler, label: EventLabel("client timer")) { [unowned self] in
        self.host.advance(to: self.scheduler.now, choices: self.scheduler.chooser)
        self.afterActivity()
    }

    init(host: StackHost, scheduler: Scheduler, lan: LanSegment) {
        self.host = host
        self.scheduler = scheduler
        self.lan = lan
    }

    func start() {
        host.start(at: scheduler.now, choices: scheduler.chooser)
        afterActivity()
    }

    func receive(_ frame: Frame) {
        framesIn += 1
        onFrameIn?(frame)
        host.receive(frame, at: scheduler.now, choices: scheduler.chooser)
        afterActivity()
    }

    /// Sends a replayed frame as the client's own output (counted and tapped like the stack's).
    func replay(_ frame: Frame) {
        framesOut += 1
        onFrameOut?(frame)
        lan.fromClient(frame)
    }

    private func afterActivity() {
        if host.hasOutput {
            outbox.removeAll(keepingCapacity: true)
            host.takeOutput(into: &outbox)
            for frame in outbox {
                framesOut += 1
                onFrameOut?(frame)
                lan.fromClient(frame)
            }
        }
        timer.arm(at: host.nextDeadline)
        if let onStreamProblem, !streamProblemSeen,
           reports.contains(where: { $0.error != nil || $0.firstBodyMismatch != nil }) {
            streamProblemSeen = true
            onStreamProblem()
        }
        if finishedAt == nil && host.isFinished {
            finishedAt = scheduler.now
            onFinished?()
        }
    }

    /// The workload's per-connection reports.
    var reports: [ClientConnectionReport] {
        host.application(0, as: ConnectionWorkload.self)?.reports ?? []
    }

    /// The UDP queries' outcomes (empty without a datagram workload).
    var datagramQueries: [DatagramQueryClient.Query] {
        host.applications.indices.lazy.compactMap { self.host.application($0, as: DatagramQueryClient.self) }.first?.queries ?? []
    }

    /// Application bytes moved so far, both ways (the progress watchdog reads it).
    var applicationBytes: Int {
        reports.reduce(0) { $0 + $1.sent.count + $1.received.count }
    }
}
