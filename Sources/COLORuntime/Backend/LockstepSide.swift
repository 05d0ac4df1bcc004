import Fabric
import GuestStack
import Deployment

/// Everything of a COLO run that Lockstep runs itself when real QEMU processes carry the
/// network path: the client on its impaired host network, both guests behind their NICs (the
/// same ``GuestMachine``s the emulation runs), and the output-commit monitor.
///
/// A backend hands it what QEMU puts out on each host's tap end and NIC end
/// (``frameFromQEMU(_:end:_:)``) and gives it a `send` closure for the other direction; it
/// tells it when QEMU's VMs stop and run and when a checkpoint loads. Each guest sits on a small
/// net core of its own (its NIC peered with a netdev whose far side is QEMU's NIC-end socket),
/// so stalls queue frames exactly as in the emulation and every guest frame is a logged hop.
package final class LockstepSide {
    package let configuration: COLORunConfiguration
    let scheduler: Scheduler
    let log: RunLog
    let lan: LanSegment
    let client: ClientMachine
    let monitor = OutputCommitMonitor()
    private(set) var guests: [GuestMachine] = []
    private var guestCores: [NetCore] = []
    private var guestNetdevs: [NetClient] = []
    private var netdevEnds: [ExternalNetdevEnd] = []
    private(set) var taps: [ExternalTap] = []
    package internal(set) var secondaryHasTakenOver = false
    package private(set) var workloadFinishedAt: VirtualTime?
    /// The workload finished (the backend may end the run after the settle time).
    package var onWorkloadFinished: (() -> Void)?
    /// The fingerprint of what the secondary loaded at the last checkpoint, checked again when
    /// the primary restarts.
    var lastLoad: (record: Int, fingerprint: GuestFingerprint)?

    /// `netdevName` is the id of QEMU's netdev the guest end connects to (it names the guest
    /// core's netdev in the log).
    package init(
        configuration: COLORunConfiguration, scheduler: Scheduler, log: RunLog, netdevName: String,
        send: @escaping (HostRole, ExternalEnd, Frame) -> Void
    ) throws(COLORunError) {
        self.configuration = configuration
        self.scheduler = scheduler
        self.log = log
        lan = LanSegment(link: configuration.clientLink, scheduler: scheduler)
        client = ClientMachine(
            host: StackHost(stack: NetworkStack(configuration: configuration.clientStack),
                            applications: COLOWorld.clientApplications(configuration)),
            scheduler: scheduler, lan: lan)
        for role in HostRole.allCases {
            let nics = configuration.topology[role].nics.filter { $0.netdev != nil }
            guard nics.count == 1, let nic = nics.first else {
                throw .unsupported(host: role.rawValue, what: "\(nics.count) guest NICs attached to netdevs (exactly one is run)")
            }
            let core = NetCore(queueOrdering: configuration.profiles.netQueue, vmRunning: true)
            core.eventSink = HostHopSink(role: role, log: log)
            let end = ExternalNetdevEnd { frame in send(role, .nic, frame) }
            let nicName = nic.id ?? "\(nic.model).0"
            // QEMU's hub and dgram ends carry no virtio-net header, so the guest writes none.
            let guest = try GuestMachine.make(role: role, nic: nic, vnetHeaderLength: 0, run: configuration, scheduler: scheduler, core: core)
            do {
                let netdev = try core.addNetdev(name: netdevName, driver: "dgram", endpoint: end)
                guest.attach(nic: try core.addNIC(name: nicName, driver: nic.model, peer: netdevName, endpoint: guest))
                guestNetdevs.append(netdev)
            } catch {
                throw .creationFailed(host: role.rawValue, object: nicName, reason: error.description)
            }
            guestCores.append(core)
            netdevEnds.append(end)
            guests.append(guest)
            let tap = ExternalTap(role: role) { frame in send(role, .tap, frame) }
            taps.append(tap)
            lan.attach(tap, for: role)
        }
        lan.deliverToClient = { [client] frame in client.receive(frame) }
        lan.onEvent = { [log] event in log.lan(event) }
        client.onFinished = { [unowned self] in
            workloadFinishedAt = scheduler.now
            onWorkloadFinished?()
        }
    }

    func guest(_ role: HostRole) -> GuestMachine { guests[role == .primary ? 0 : 1] }
    func tap(_ role: HostRole) -> ExternalTap { taps[role == .primary ? 0 : 1] }

    /// The guests and the client start (COLO starts with both guests equal).
    package func start() {
        guest(.primary).start()
        guest(.secondary).start()
        client.start()
    }

    /// A frame QEMU put out on one of a host's ends: toward the client (tap end), checked for
    /// output commit first, or toward the guest (NIC end), through the guest's net core.
    package func frameFromQEMU(_ role: HostRole, end: ExternalEnd, _ frame: Frame) {
        switch end {
        case .tap:
            if role == .primary {
                monitor.primaryTapSent(frame, at: scheduler.now, logPosition: log.entryCount)
            } else {
                monitor.secondaryTapSent(frame, at: scheduler.now, secondaryHasTakenOver: secondaryHasTakenOver, logPosition: log.entryCount)
            }
            tap(role).fromQEMU(frame)
        case .nic:
            let index = role == .primary ? 0 : 1
            guestCores[index].virtualNanoseconds = UInt64(max(0, scheduler.now.nanoseconds))
            _ = guestCores[index].send(frame, from: guestNetdevs[index], withCompletion: false)
        }
    }

    /// A new compare's slot in the output-commit monitor.
    package func addCompare() -> Int { monitor.addCompare() }

    /// A compare released `frame` (seen on its way to the primary's tap).
    package func compareReleased(_ frame: Frame, slot: Int) { monitor.released(frame, by: slot) }

    /// Application bytes the client moved so far (a progress watchdog reads it).
    package var clientApplicationBytes: Int { client.applicationBytes }
}

extension LockstepSide {
    /// Sees every frame the client and the guests send and receive (captures).
    package struct FrameObserver {
        package var client: (Frame) -> Void
        package var guest: (HostRole, Frame) -> Void

        package init(client: @escaping (Frame) -> Void, guest: @escaping (HostRole, Frame) -> Void) {
            self.client = client
            self.guest = guest
        }
    }

    package func observeFrames(_ observer: FrameObserver) {
        client.onFrameIn = observer.client
        client.onFrameOut = observer.client
        for role in HostRole.allCases {
            guest(role).onFrameIn = { frame in observer.guest(role, frame) }
            guest(role).onFrameOut = { frame in observer.guest(role, frame) }
        }
    }
}

extension LockstepSide {
    /// A frame of a capture's client side, sent as the client's own output.
    package func replayClientFrame(_ frame: Frame) {
        client.replay(frame)
    }
}
