import Fabric
import Deployment

/// Which of a host's two network ends a frame crosses when real QEMU runs the network path:
/// the tap end (the netdev the filters sit on, facing the client) or the NIC end (facing the
/// guest).
package enum ExternalEnd: String, Sendable, Hashable {
    case tap
    case nic
}

/// The host network's end at a real QEMU: frames from the client go to QEMU's tap-end socket;
/// frames QEMU transmits come back through ``LockstepSide/frameFromQEMU(_:end:_:)``.
final class ExternalTap: LanTap {
    struct Counters: Sendable, Hashable {
        /// Frames from the client handed to QEMU.
        var sentToQEMU = 0
        /// Arrived after the host was gone.
        var hostDown = 0
        /// Frames QEMU transmitted toward the client.
        var transmitted = 0
    }

    let role: HostRole
    var transmit: (Frame) -> Void = { _ in }
    private let send: (Frame) -> Void
    private(set) var counters = Counters()
    private(set) var isAlive = true

    init(role: HostRole, send: @escaping (Frame) -> Void) {
        self.role = role
        self.send = send
    }

    func arrive(_ frame: Frame) {
        guard isAlive else {
            counters.hostDown += 1
            return
        }
        counters.sentToQEMU += 1
        send(frame)
    }

    func fromQEMU(_ frame: Frame) {
        counters.transmitted += 1
        transmit(frame)
    }

    func kill() { isAlive = false }
}

/// The netdev a guest's NIC is peered with on Lockstep's side when QEMU runs the network path:
/// what the guest sends goes to QEMU's NIC-end socket.
final class ExternalNetdevEnd: NetEndpoint {
    private let send: (Frame) -> Void
    private(set) var sentToQEMU = 0
    var isAlive = true

    init(send: @escaping (Frame) -> Void) {
        self.send = send
    }

    func canReceive() -> Bool { true }

    func receive(_ frame: Frame, from sender: NetClient) -> EndpointReceipt {
        guard isAlive else { return .refused }
        sentToQEMU += 1
        send(frame)
        return .accepted
    }
}
