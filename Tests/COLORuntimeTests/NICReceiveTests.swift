import Testing
@testable import Fabric
@testable import GuestStack
@testable import Deployment
@testable import COLORuntime

/// What the guest's NIC takes while its VM is stopped or its vCPUs stalled (F-12, F-14): only
/// what QEMU's NIC model would take.
@Suite("Guest NIC receive rules")
struct NICReceiveTests {
    @Test("F-12/F-14 (virtio-net): cannot receive while the VM is stopped and refuses a frame flushed then; without a receive buffer it defers")
    func virtioNetRule() {
        let rule = NICReceiveRule.virtioNet
        #expect(!rule.canReceive(vmRunning: false, stalled: false))
        #expect(rule.canReceive(vmRunning: true, stalled: true), "virtio-net's can_receive does not look at buffers")
        #expect(rule.receipt(vmRunning: false, stalled: false) == (.refused, .vmStopped))
        #expect(rule.receipt(vmRunning: false, stalled: true) == (.refused, .vmStopped))
        #expect(rule.receipt(vmRunning: true, stalled: true) == (.deferred, nil))
        #expect(rule.receipt(vmRunning: true, stalled: false) == (.accepted, nil))
    }

    @Test("F-12/F-14 (e1000): takes a frame flushed while the VM stops; without a receive buffer it cannot receive and drops what is delivered anyway")
    func descriptorRingRule() {
        let rule = NICReceiveRule.descriptorRing
        #expect(rule.canReceive(vmRunning: false, stalled: false))
        #expect(!rule.canReceive(vmRunning: true, stalled: true))
        #expect(rule.receipt(vmRunning: false, stalled: false) == (.accepted, nil))
        #expect(rule.receipt(vmRunning: true, stalled: true) == (.refused, .noReceiveBuffer))
        #expect(NICReceiveRule(NICConfiguration(model: "virtio-net-pci")) == .virtioNet)
        #expect(NICReceiveRule(NICConfiguration(model: "e1000")) == .descriptorRing)
    }
}
