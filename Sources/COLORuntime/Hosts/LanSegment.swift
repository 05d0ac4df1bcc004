import Fabric
import GuestStack
import Deployment

/// The host network between the client and the hosts' taps: one impaired link each way
/// (latency, jitter, loss, duplication, reordering drawn from the chooser).
///
/// Client frames go to the *active* tap: the primary's until the secondary takes over after a
/// failover (K-10), then the secondary's — the two guests share a MAC and an address, so the
/// network follows whichever host carries the service. Frames any tap transmits reach the
/// client (a secondary tap that transmits while COLO runs is an output-commit violation the
/// run reports, not something the network hides).
final class LanSegment: EventHandler {
    struct Counters: Sendable, Hashable {
        var fromClient = 0
        var fromTaps = 0
        var deliveredToTaps = 0
        var deliveredToClient = 0
        /// A client frame arrived while no tap was active (between a primary loss and failover).
        var droppedNoActiveTap = 0
        /// A frame arrived for a client that is not attached (never, in practice).
        var droppedNoClient = 0
    }

    private struct InFlight {
        var frame: Frame
        var towardClient: Bool
    }

    private let scheduler: Scheduler
    private var towardTaps: LinkDirection
    private var towardClient: LinkDirection
    private(set) var counters = Counters()
    private var taps: [HostRole: any LanTap] = [:]
    /// Which host's tap receives the client's frames; nil while none does.
    private(set) var activeTap: HostRole? = .primary
    var deliverToClient: ((Frame) -> Void)?
    var onEvent: ((LanHop) -> Void)?

    private var slots: [InFlight?] = []
    private var freeSlots: [Int] = []
    private let toTapsLabel = EventLabel("lan client->tap deliver")
    private let toClientLabel = EventLabel("lan tap->client deliver")

    init(link: LinkConfiguration, scheduler: Scheduler) {
        self.scheduler = scheduler
        towardTaps = LinkDirection(link, name: "client->tap")
        towardClient = LinkDirection(link, name: "tap->client")
    }

    func attach(_ tap: any LanTap, for role: HostRole) {
        taps[role] = tap
        tap.transmit = { [unowned self] frame in self.fromTap(role, frame) }
    }

    func setActiveTap(_ role: HostRole?) {
        activeTap = role
        onEvent?(.activeTapChanged(role))
    }

    var framesInFlight: Int { slots.count - freeSlots.count }

    var framesInFlightByDirection: (towardTaps: Int, towardClient: Int) {
        var towardTaps = 0
        var towardClient = 0
        for case let item? in slots {
            if item.towardClient { towardClient += 1 } else { towardTaps += 1 }
        }
        return (towardTaps, towardClient)
    }
    var linkCounters: (towardTaps: LinkCounters, towardClient: LinkCounters) { (towardTaps.counters, towardClient.counters) }

    func fromClient(_ frame: Frame) {
        counters.fromClient += 1
        onEvent?(.clientSent(bytes: frame.count))
        for delay in towardTaps.deliveries(scheduler.chooser) {
            scheduler.schedule(after: delay, toTapsLabel, handler: self, code: park(InFlight(frame: frame, towardClient: false)))
        }
    }

    private func fromTap(_ role: HostRole, _ frame: Frame) {
        counters.fromTaps += 1
        onEvent?(.tapTransmitted(role, bytes: frame.count))
        for delay in towardClient.deliveries(scheduler.chooser) {
            scheduler.schedule(after: delay, toClientLabel, handler: self, code: park(InFlight(frame: frame, towardClient: true)))
        }
    }

    func handleEvent(_ code: Int) {
        guard let item = slots[code] else { return }
        slots[code] = nil
        freeSlots.append(code)
        if item.towardClient {
            guard let deliverToClient else {
                counters.droppedNoClient += 1
                onEvent?(.dropped(reason: .noClient, bytes: item.frame.count))
                return
            }
            counters.deliveredToClient += 1
            onEvent?(.arrivedAtClient(bytes: item.frame.count))
            deliverToClient(item.frame)
        } else {
            guard let role = activeTap, let tap = taps[role] else {
                counters.droppedNoActiveTap += 1
                onEvent?(.dropped(reason: .noActiveTap, bytes: item.frame.count))
                return
            }
            counters.deliveredToTaps += 1
            onEvent?(.arrivedAtTap(role, bytes: item.frame.count))
            tap.arrive(item.frame)
        }
    }

    private func park(_ item: InFlight) -> Int {
        if let slot = freeSlots.popLast() {
            slots[slot] = item
            return slot
        }
        slots.append(item)
        return slots.count - 1
    }
}

/// A host's end of the host network: an emulated tap (``TapBackend``), or the socket a real QEMU
/// reads as its tap.
protocol LanTap: AnyObject {
    /// Where the host puts frames for the client; the segment sets it when the tap attaches.
    var transmit: (Frame) -> Void { get set }
    /// A frame from the client reached this host.
    func arrive(_ frame: Frame)
}

extension TapBackend: LanTap {}

/// What happened on the host network, for the run log.
public enum LanHop: Sendable, Hashable {
    case clientSent(bytes: Int)
    case tapTransmitted(HostRole, bytes: Int)
    case arrivedAtTap(HostRole, bytes: Int)
    case arrivedAtClient(bytes: Int)
    case dropped(reason: LanDropReason, bytes: Int)
    case activeTapChanged(HostRole?)

    public var token: String {
        switch self {
        case .clientSent: "client_sent"
        case .tapTransmitted: "tap_transmitted"
        case .arrivedAtTap: "arrived_at_tap"
        case .arrivedAtClient: "arrived_at_client"
        case .dropped: "dropped"
        case .activeTapChanged: "active_tap"
        }
    }
}

public enum LanDropReason: String, Sendable, Hashable {
    case noActiveTap = "no_active_tap"
    case noClient = "no_client"
}
