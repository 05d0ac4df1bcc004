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

    /// The primary guest stalls from 990 ms to 1003 ms; a checkpoint forced at 1 s stops the
    /// primary at 1.0001 s and restarts it at about 1.0062 s, so the stall ends while the VM is
    /// stopped. The client keeps sending meanwhile.
    static func stallAcrossCheckpoint() throws -> RunReport {
        var configuration = TopologyRuns.requests(connections: 4, exchanges: 400)
        configuration.workload.thinkTime = .milliseconds(2)
        configuration.timeline = [
            TimelineEvent(at: .milliseconds(990), .stallGuest(.primary, duration: .milliseconds(13))),
            TimelineEvent(at: .seconds(1), .setCheckpointDelay(.seconds(20))),
        ]
        return try TopologyRuns.run(configuration, keepingLog: true)
    }

    @Test("F-12/F-14: a stall overlapping a checkpoint — what waited for the stalled e1000 guest is dropped at the stop, nothing reaches the stopped guest, the restart delivers")
    func stallOverlappingCheckpoint() throws {
        let report = try Self.stallAcrossCheckpoint()
        let checkpoint = try #require(report.checkpoints.first)
        let stopped = try #require(checkpoint.primaryStoppedAt)
        let restarted = try #require(checkpoint.primaryRestartedAt)
        var refusedAtStop = 0
        var deliveredWhileStopped = 0
        var deliveredAtRestart = 0
        for entry in report.log where entry.host == .primary {
            switch entry.event {
            case .net(.dropped(_, .receiverRefused, "e0")) where entry.time == stopped:
                refusedAtStop += 1
            case .net(.delivered(_, "e0", _)):
                if entry.time > stopped && entry.time < restarted { deliveredWhileStopped += 1 }
                if entry.time == restarted { deliveredAtRestart += 1 }
            default:
                break
            }
        }
        #expect(refusedAtStop > 0, "frames queued for the stalled guest are refused by the stop's flush")
        #expect(deliveredWhileStopped == 0, "the stall ended while the VM was stopped: nothing runs to take frames")
        #expect(deliveredAtRestart > 0)
        #expect(report.traffic.primary.guestFramesRefused == refusedAtStop)
        #expect(checkpoint.secondaryEqualsPrimary == true)
        #expect(report.workload.isComplete && report.invariantsHold)
    }
}

