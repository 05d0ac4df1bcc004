import Fabric

/// A frame read from a capture, with its timestamp in microseconds (any epoch).
public struct CapturedFrame: Sendable, Hashable {
    public var timestampUs: Int64
    public var frame: Frame

    public init(timestampUs: Int64, frame: Frame) {
        self.timestampUs = timestampUs
        self.frame = frame
    }
}

public struct CaptureCompareOptions: Sendable, Hashable {
    public var compareTimeoutMs: UInt32
    public var expiredScanCycleMs: UInt32
    /// The process-global max_queue_size (C-6).
    public var maxQueueSize: UInt32
    /// Times (µs after the earliest frame) at which a COLO checkpoint completes: a flush (C-20).
    public var checkpointsUs: [Int64]
    public var profile: CompareProfile
    /// Delete the compare after the last input (C-28), so every queued primary is released.
    public var deleteAtEnd: Bool

    public init(compareTimeoutMs: UInt32 = COLOCompare.Configuration.defaultCompareTimeoutMs,
                expiredScanCycleMs: UInt32 = COLOCompare.Configuration.defaultExpiredScanCycleMs,
                maxQueueSize: UInt32 = CompareProcess.defaultMaxQueueSize,
                checkpointsUs: [Int64] = [], profile: CompareProfile = .upstream, deleteAtEnd: Bool = false) {
        self.compareTimeoutMs = compareTimeoutMs
        self.expiredScanCycleMs = expiredScanCycleMs
        self.maxQueueSize = maxQueueSize
        self.checkpointsUs = checkpointsUs
        self.profile = profile
        self.deleteAtEnd = deleteAtEnd
    }
}

/// One decision with the time it was taken (µs after the earliest frame).
public struct CaptureDecision: Sendable, Hashable {
    public var timeUs: Int64
    public var event: CompareDecision

    public init(timeUs: Int64, event: CompareDecision) {
        self.timeUs = timeUs
        self.event = event
    }
}

/// A primary frame written to outdev, in outdev order.
public struct ReleasedFrame: Sendable, Hashable {
    public var timeUs: Int64
    public var primaryIndex: Int
    public var frame: Frame
}

public struct CaptureCompareResult: Sendable, Hashable {
    /// The absolute timestamp (µs) that time 0 stands for.
    public var originUs: Int64
    /// When the run ended (µs after the origin): the last frame or checkpoint.
    public var endUs: Int64
    public var decisions: [CaptureDecision]
    public var released: [ReleasedFrame]
    public var counters: CaptureCompareCounters
}

/// Replays a primary and a secondary capture through one compare (§7) and collects its
/// explained decisions. Indices in the result are positions in the given arrays.
///
/// Clock: microseconds since the earliest frame of either capture; the engine sees
/// floor(µs / 1000) ms. Frames enter in timestamp order (primary first on equal timestamps,
/// capture order within a side). The timeout scan fires `expiredScanCycleMs` after time 0 and
/// then every cycle (C-19). At one instant, frames go first, then a checkpoint, then the scan.
/// The run ends at the last frame or checkpoint; nothing is flushed then unless `deleteAtEnd`.
/// The output channel is always writable.
public enum CaptureCompare {
    public static func run(primary: [CapturedFrame], secondary: [CapturedFrame],
                           options: CaptureCompareOptions = CaptureCompareOptions()) -> CaptureCompareResult {
        let earliest = [primary.lazy.map(\.timestampUs).min(), secondary.lazy.map(\.timestampUs).min()].compactMap { $0 }.min()
        let originUs = earliest ?? 0
        let timeline = Timeline(primary: primary, secondary: secondary, originUs: originUs, checkpointsUs: options.checkpointsUs)

        var compare = COLOCompare(
            configuration: COLOCompare.Configuration(compareTimeoutMs: options.compareTimeoutMs,
                                                    expiredScanCycleMs: options.expiredScanCycleMs,
                                                    profile: options.profile),
            process: CompareProcess(maxQueueSize: options.maxQueueSize), nowMs: 0)
        var collector = Collector(primaryOrder: timeline.primaryOrder, secondaryOrder: timeline.secondaryOrder,
                                  primaryCount: primary.count, secondaryCount: secondary.count)
        var actions: [CompareAction] = []

        func scans(before timeUs: Int64, inclusive: Bool) {
            while let deadline = compare.nextScanDeadlineMs {
                let scanUs = deadline * 1000
                guard inclusive ? scanUs <= timeUs : scanUs < timeUs else { return }
                compare.scanTimerFired(nowMs: deadline, into: &actions)
                collector.take(&actions, at: scanUs)
            }
        }

        for item in timeline.items {
            scans(before: item.timeUs, inclusive: false)
            let nowMs = floorDivide(item.timeUs, 1000)
            switch item.kind {
            case .primary(let position): compare.receivePrimary(primary[position].frame, nowMs: nowMs, into: &actions)
            case .secondary(let position): compare.receiveSecondary(secondary[position].frame, nowMs: nowMs, into: &actions)
            case .checkpoint: compare.checkpoint(nowMs: nowMs, into: &actions)
            }
            collector.take(&actions, at: item.timeUs)
        }
        let endUs = timeline.items.last?.timeUs ?? 0
        scans(before: endUs, inclusive: true)
        if options.deleteAtEnd {
            compare.delete(nowMs: floorDivide(endUs, 1000), into: &actions)
            collector.take(&actions, at: endUs)
        }
        collector.counters.primaryQueuedAtEnd = compare.queuedPrimaryCount
        collector.counters.secondaryQueuedAtEnd = compare.queuedSecondaryCount
        return CaptureCompareResult(originUs: originUs, endUs: endUs, decisions: collector.decisions,
                                    released: collector.released, counters: collector.counters)
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient
    }
}

/// The merged input order of a capture run.
private struct Timeline {
    enum Kind {
        case primary(Int)
        case secondary(Int)
        case checkpoint
    }

    struct Item {
        var timeUs: Int64
        var rank: Int
        var sequence: Int
        var kind: Kind
    }

    var items: [Item] = []
    /// Engine arrival index → position in the capture.
    var primaryOrder: [Int] = []
    var secondaryOrder: [Int] = []

    init(primary: [CapturedFrame], secondary: [CapturedFrame], originUs: Int64, checkpointsUs: [Int64]) {
        for (position, captured) in primary.enumerated() {
            items.append(Item(timeUs: captured.timestampUs - originUs, rank: 0, sequence: position, kind: .primary(position)))
        }
        for (position, captured) in secondary.enumerated() {
            items.append(Item(timeUs: captured.timestampUs - originUs, rank: 1, sequence: position, kind: .secondary(position)))
        }
        for (position, time) in checkpointsUs.enumerated() {
            items.append(Item(timeUs: time, rank: 2, sequence: position, kind: .checkpoint))
        }
        items.sort { ($0.timeUs, $0.rank, $0.sequence) < ($1.timeUs, $1.rank, $1.sequence) }
        for item in items {
            switch item.kind {
            case .primary(let position): primaryOrder.append(position)
            case .secondary(let position): secondaryOrder.append(position)
            case .checkpoint: break
            }
        }
    }
}

/// Turns engine actions into timed decisions, released frames and counters.
private struct Collector {
    let primaryOrder: [Int]
    let secondaryOrder: [Int]
    var decisions: [CaptureDecision] = []
    var released: [ReleasedFrame] = []
    var counters: CaptureCompareCounters

    init(primaryOrder: [Int], secondaryOrder: [Int], primaryCount: Int, secondaryCount: Int) {
        self.primaryOrder = primaryOrder
        self.secondaryOrder = secondaryOrder
        counters = CaptureCompareCounters(primaryFrames: primaryCount, secondaryFrames: secondaryCount)
    }

    mutating func take(_ actions: inout [CompareAction], at timeUs: Int64) {
        for action in actions {
            switch action {
            case .event(let event):
                let mapped = event.remappingIndices(primary: { primaryOrder[$0] }, secondary: { secondaryOrder[$0] })
                decisions.append(CaptureDecision(timeUs: timeUs, event: mapped))
                counters.count(mapped)
            case .write(let write):
                if write.channel == .outdev, let index = write.primaryIndex {
                    released.append(ReleasedFrame(timeUs: timeUs, primaryIndex: primaryOrder[index], frame: write.frame))
                }
            case .requestCheckpoint:
                break
            }
        }
        actions.removeAll(keepingCapacity: true)
    }
}
