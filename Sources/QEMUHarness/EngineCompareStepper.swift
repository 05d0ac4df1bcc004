import Fabric
import Primary

/// Lockstep's compare engine behind the step protocol, the other side of every compare
/// differential test. It is configured from the case's `oracleConfiguration`, as the oracle
/// configures QEMU: notify_dev set (requests are DO_CHECKPOINT, checkpoints COLO_CHECKPOINT),
/// a timeout no case reaches, the case's max_queue_size and vnet setting.
public struct EngineCompareStepper: CompareStepper {
    public private(set) var compare: COLOCompare
    /// Every event so far, for failure messages.
    public private(set) var events: [CompareDecision] = []

    /// `upstream` as a freshly started QEMU behaves: the oracle starts one QEMU per case, so a
    /// comparison that runs past a frame sees the zeroed slack of new heap chunks.
    public static let freshQEMU: CompareProfile = {
        var quirks = CompareQuirks.upstream
        quirks.pastFrameReads = .freshHeap
        return CompareProfile(name: "upstream (fresh heap)", quirks: quirks)
    }()

    public init(_ testCase: CompareCase, profile: CompareProfile = EngineCompareStepper.freshQEMU) {
        let oracle = testCase.oracleConfiguration
        let process = CompareProcess(maxQueueSize: oracle.maxQueueSize ?? 0)
        let configuration = COLOCompare.Configuration(
            compareTimeoutMs: oracle.compareTimeoutMilliseconds, expiredScanCycleMs: oracle.expiredScanCycleMilliseconds,
            vnetHeaderSupport: oracle.vnetHeaderSupport, hasNotifyDev: true, profile: profile)
        compare = COLOCompare(configuration: configuration, process: process, nowMs: 0)
    }

    public mutating func sendPrimary(_ frame: Frame) -> CompareStepOutput {
        output(compare.receivePrimary(frame, nowMs: 0))
    }

    public mutating func sendSecondary(_ frame: Frame) -> CompareStepOutput {
        output(compare.receiveSecondary(frame, nowMs: 0))
    }

    public mutating func checkpoint() -> CompareStepOutput {
        sendNotify(NotifyProtocol.checkpoint)
    }

    public mutating func sendNotify(_ message: [UInt8]) -> CompareStepOutput {
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
