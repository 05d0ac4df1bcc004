import Fabric
import Primary
import COLORuntime

/// What `ViolationPoint.locate` looks up in a run's log, gathered one entry at a time so that a
/// replay can locate violations without keeping the log: the first watchdog, failover and
/// unequal load, and each checkpoint's start with the entry that asked for it. It grows with
/// checkpoints and checkpoint requests, never with hops.
public struct ViolationLogIndex: Sendable {
    /// A `checkpointStarted` entry: its position, number, trigger and time, and the position of
    /// the entry that asked for it (the compare's request when a compare asked, else the
    /// controller's request that set the checkpoint event, else the start itself).
    struct CheckpointStart: Sendable {
        var index: Int
        var number: Int
        var trigger: CheckpointTrigger
        var time: VirtualTime
        var requestIndex: Int
    }

    private struct CompareRequestKey: Hashable {
        var object: String
        var request: CompareCheckpointRequest
    }

    public private(set) var entryCount = 0
    private(set) var firstWatchdog: Int?
    private(set) var firstFailover: Int?
    private(set) var firstUnequalLoad: Int?
    private(set) var checkpointStarts: [CheckpointStart] = []
    // Keyed lookups only, never iterated, so no dictionary order reaches an output.
    /// The asking entry of the latest non-coalesced controller request, per trigger.
    private var latestRequest: [CheckpointTrigger: Int] = [:]
    /// The latest compare `checkpointRequest` decision, per compare object and request.
    private var latestCompareRequest: [CompareRequestKey: Int] = [:]

    public init() {}

    /// The index of a whole log.
    public init(entries: [RunLogEntry]) {
        for entry in entries { add(entry) }
    }

    public mutating func add(_ entry: RunLogEntry) {
        let index = entryCount
        entryCount += 1
        switch entry.event {
        case .compare(.checkpointRequest(let request)):
            latestCompareRequest[CompareRequestKey(object: entry.source, request: request)] = index
        case .controller(.checkpointRequested(let trigger, coalesced: false)):
            var asking = index
            if case let .compare(object, request?) = trigger,
               let decision = latestCompareRequest[CompareRequestKey(object: object, request: request)] {
                asking = decision
            }
            latestRequest[trigger] = asking
        case let .controller(.checkpointStarted(number, trigger)):
            checkpointStarts.append(CheckpointStart(
                index: index, number: number, trigger: trigger, time: entry.time, requestIndex: latestRequest[trigger] ?? index))
        case .controller(.watchdog):
            if firstWatchdog == nil { firstWatchdog = index }
        case .controller(.failover):
            if firstFailover == nil { firstFailover = index }
        case .controller(.secondaryLoaded(_, false)):
            if firstUnequalLoad == nil { firstUnequalLoad = index }
        default:
            break
        }
    }

    /// The entry that asked for checkpoint `number`.
    func requestIndex(ofCheckpoint number: Int) -> Int? {
        checkpointStarts.first { $0.number == number }?.requestIndex
    }
}
