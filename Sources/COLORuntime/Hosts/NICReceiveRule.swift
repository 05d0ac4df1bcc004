import Fabric
import Deployment

/// How the guest's NIC model answers the net core (QEMU's `can_receive` and `receive` hooks),
/// which decides what happens to frames that reach a stopped or stalled guest (F-12, F-14).
///
/// A stalled guest (its vCPUs not scheduled) posts no receive buffers. The net core delivers
/// without asking `can_receive` when it flushes a queue (at a VM stop, or when the NIC asks), so
/// the receive hook alone decides then.
enum NICReceiveRule: Sendable, Hashable {
    /// virtio-net: cannot receive while the VM is stopped, and refuses a frame then (-1: the
    /// frame is dropped) — at a VM stop its device handler runs before the net core's, so the
    /// stop flush meets a refusing NIC. With no receive buffer it answers 0: the net core stops
    /// delivering and queues until the guest posts buffers.
    case virtioNet
    /// e1000 (and, as modelled here, every card that is not virtio-net): no VM-state check (a frame flushed at a VM stop lands
    /// in the ring, before the state is saved); cannot receive without a receive buffer, and a
    /// frame delivered anyway then is dropped as an overrun (-1).
    case descriptorRing

    init(_ nic: NICConfiguration) {
        self = nic.isVirtioNet ? .virtioNet : .descriptorRing
    }

    /// QEMU's `can_receive` for a live guest.
    func canReceive(vmRunning: Bool, stalled: Bool) -> Bool {
        switch self {
        case .virtioNet: vmRunning
        case .descriptorRing: !stalled
        }
    }

    /// QEMU's `receive` for a live guest: accepted, deferred (0) or refused (-1), and why.
    func receipt(vmRunning: Bool, stalled: Bool) -> (EndpointReceipt, refusal: Refusal?) {
        switch self {
        case .virtioNet:
            if !vmRunning { return (.refused, .vmStopped) }
            return stalled ? (.deferred, nil) : (.accepted, nil)
        case .descriptorRing:
            return stalled ? (.refused, .noReceiveBuffer) : (.accepted, nil)
        }
    }

    /// Why a NIC refused a frame.
    enum Refusal: Sendable, Hashable {
        case vmStopped
        case noReceiveBuffer
    }
}
