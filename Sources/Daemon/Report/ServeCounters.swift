import Fabric
import Primary

/// One compare's totals: inputs, decisions by reason, output and connection events.
public struct ServeCounters: Sendable, Hashable {
    public internal(set) var primaryRecords: UInt64 = 0
    public internal(set) var secondaryRecords: UInt64 = 0
    public internal(set) var notifyRecords: UInt64 = 0
    /// Primary records released as matched: compared pairs.
    public internal(set) var pairs: UInt64 = 0
    var releases = ReasonCounts(slots: 6)
    var primaryDrops = ReasonCounts(slots: 11)
    var secondaryDrops = ReasonCounts(slots: 11)
    var checkpointRequests = ReasonCounts(slots: 4)
    var flushes = ReasonCounts(slots: 3)
    /// Requests without notify_dev: they go to the COLO framework's listeners, and a standalone
    /// compare has none, exactly as in QEMU (C-18).
    public internal(set) var unheardCheckpointRequests: UInt64 = 0
    public internal(set) var framingErrors: UInt64 = 0
    /// Records completely written on outdev, and messages on notify_dev.
    public internal(set) var recordsWritten: UInt64 = 0
    public internal(set) var notifyMessagesWritten: UInt64 = 0
    public internal(set) var writeStalls: UInt64 = 0
    public internal(set) var writeFailures: UInt64 = 0

    public var released: UInt64 { releases.total }
    public var primaryDropped: UInt64 { primaryDrops.total }
    public var secondaryDropped: UInt64 { secondaryDrops.total }
    public var checkpointRequestTotal: UInt64 { checkpointRequests.total }
    public var checkpoints: UInt64 { flushes.total }

    /// Counts by reason token, for tests and reports.
    public var releasesByReason: [(token: String, count: UInt64)] { releases.nonZero }
    public var primaryDropsByReason: [(token: String, count: UInt64)] { primaryDrops.nonZero }
    public var secondaryDropsByReason: [(token: String, count: UInt64)] { secondaryDrops.nonZero }
    public var checkpointRequestsByReason: [(token: String, count: UInt64)] { checkpointRequests.nonZero }

    mutating func count(_ event: CompareDecision) {
        switch event {
        case .release(let release):
            releases.bump(Self.slot(release.reason), token: release.reason.token)
            if case .matched = release.reason { pairs &+= 1 }
        case .drop(let drop):
            if drop.side == .primary {
                primaryDrops.bump(Self.slot(drop.reason), token: drop.reason.token)
            } else {
                secondaryDrops.bump(Self.slot(drop.reason), token: drop.reason.token)
            }
        case .checkpointRequest(let request):
            checkpointRequests.bump(Self.slot(request.reason), token: request.reason.token)
        case .flush(let cause):
            let slot = switch cause {
            case .checkpoint: 0
            case .notifyCheckpoint: 1
            case .deletion: 2
            }
            flushes.bump(slot, token: cause.rawValue)
        case .notifyReceived:
            break
        }
    }

    private static func slot(_ reason: ReleaseReason) -> Int {
        switch reason {
        case .matched: 0
        case .unparseable: 1
        case .retransmission: 2
        case .noPayload: 3
        case .checkpointFlush: 4
        case .deletionFlush: 5
        }
    }

    private static func slot(_ reason: CompareDropReason) -> Int {
        switch reason {
        case .queueFull: 0
        case .tableReset: 1
        case .compared: 2
        case .noPayload: 3
        case .retransmission: 4
        case .unparseable: 5
        case .checkpointFlush: 6
        case .deletionFlush: 7
        case .emptyRecord: 8
        case .writeFailed: 9
        case .compareDeleted: 10
        }
    }

    private static func slot(_ reason: CheckpointReason) -> Int {
        switch reason {
        case .payloadMismatch: 0
        case .ackGate: 1
        case .noMatch: 2
        case .timeout: 3
        }
    }
}
