import Fabric
import Primary
import QEMUHarness

/// Our compare engine behind the QEMU harness's step protocol, configured like the oracle:
/// notify_dev set (requests are DO_CHECKPOINT, checkpoints are COLO_CHECKPOINT), a timeout
/// far beyond any test, the case's max_queue_size and vnet setting.
struct EngineCompareStepper: CompareStepper {
    var compare: COLOCompare
    /// Every event so far, for failure messages.
    private(set) var events: [CompareDecision] = []

    /// `upstream` as a freshly started QEMU behaves: the oracle starts one QEMU per case, so a
    /// comparison that runs past a frame sees the zeroed slack of new heap chunks.
    static let freshQEMU: CompareProfile = {
        var quirks = CompareQuirks.upstream
        quirks.pastFrameReads = .freshHeap
        return CompareProfile(name: "upstream (fresh heap)", quirks: quirks)
    }()

    init(_ testCase: CompareCase, profile: CompareProfile = EngineCompareStepper.freshQEMU) {
        let process = CompareProcess(maxQueueSize: testCase.maxQueueSize ?? 0)
        let configuration = COLOCompare.Configuration(
            compareTimeoutMs: 3_600_000, expiredScanCycleMs: 1_000, vnetHeaderSupport: testCase.vnetHeaderSupport,
            hasNotifyDev: true, profile: profile)
        compare = COLOCompare(configuration: configuration, process: process, nowMs: 0)
    }

    mutating func sendPrimary(_ frame: Frame) -> CompareStepOutput {
        output(compare.receivePrimary(frame, nowMs: 0))
    }

    mutating func sendSecondary(_ frame: Frame) -> CompareStepOutput {
        output(compare.receiveSecondary(frame, nowMs: 0))
    }

    mutating func checkpoint() -> CompareStepOutput {
        sendNotify(NotifyProtocol.checkpoint)
    }

    mutating func sendNotify(_ message: [UInt8]) -> CompareStepOutput {
        output(compare.receiveNotify(Frame(message), nowMs: 0))
    }

    private mutating func output(_ actions: [CompareAction]) -> CompareStepOutput {
        events += actions.events
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
