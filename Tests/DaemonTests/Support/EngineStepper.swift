import Fabric
import Primary
import QEMUHarness

/// The compare engine in this process behind the harness's step protocol, configured as the
/// oracle configures QEMU (notify_dev set, a timeout no test reaches), profile `upstream` as
/// `lockstep serve` runs by default.
struct EngineStepper: CompareStepper {
    var compare: COLOCompare

    init(_ testCase: CompareCase) {
        let process = CompareProcess(maxQueueSize: testCase.maxQueueSize ?? 0)
        let configuration = COLOCompare.Configuration(
            compareTimeoutMs: 3_600_000, expiredScanCycleMs: 1_000, vnetHeaderSupport: testCase.vnetHeaderSupport,
            hasNotifyDev: true, profile: .upstream)
        compare = COLOCompare(configuration: configuration, process: process, nowMs: 0)
    }

    mutating func sendPrimary(_ frame: Frame) -> CompareStepOutput { output(compare.receivePrimary(frame, nowMs: 0)) }
    mutating func sendSecondary(_ frame: Frame) -> CompareStepOutput { output(compare.receiveSecondary(frame, nowMs: 0)) }
    mutating func checkpoint() -> CompareStepOutput { output(compare.receiveNotify(Frame(NotifyProtocol.checkpoint), nowMs: 0)) }

    private func output(_ actions: [CompareAction]) -> CompareStepOutput {
        var result = CompareStepOutput()
        for write in actions.writes {
            switch write.channel {
            case .outdev: result.released.append(write.frame)
            case .notifyDev:
                if write.frame.bytes == NotifyProtocol.doCheckpoint {
                    result.checkpointRequests += 1
                } else {
                    result.otherNotifications.append(write.frame.bytes)
                }
            }
        }
        return result
    }
}
