import Fabric

/// A frame read from a capture, with its timestamp in microseconds (any epoch).
public struct CapturedFrame: Sendable, Hashable {
    public var timestampUs: Int64
    public var frame: Frame
    /// The capture kept fewer bytes than the frame had on the wire: it is compared as captured.
    public var truncated: Bool

    public init(timestampUs: Int64, frame: Frame, truncated: Bool = false) {
        self.timestampUs = timestampUs
        self.frame = frame
        self.truncated = truncated
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
    /// How many more times the scan took the same timeout decision, one scan cycle apart, each
    /// time with the packet `repeatEveryUs` older: a packet stuck over a long gap is one entry,
    /// not one per cycle.
    public var repeats: Int
    public var repeatEveryUs: Int64

    public init(timeUs: Int64, event: CompareDecision, repeats: Int = 0, repeatEveryUs: Int64 = 0) {
        self.timeUs = timeUs
        self.event = event
        self.repeats = repeats
        self.repeatEveryUs = repeatEveryUs
    }

    /// When the last repetition was taken.
    public var lastTimeUs: Int64 { timeUs + Int64(repeats) * repeatEveryUs }

    /// The event of the last repetition (a timeout request's age grows with each).
    public var lastEvent: CompareDecision {
        guard repeats > 0, case .checkpointRequest(var request) = event, case .timeout(var timeout) = request.reason else { return event }
        timeout.ageMs += Int64(repeats) * repeatEveryUs / 1000
        request.reason = .timeout(timeout)
        return .checkpointRequest(request)
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
                                  primaryCount: primary.count, secondaryCount: secondary.count,
                                  scanCycleUs: Int64(options.expiredScanCycleMs) * 1000)
        collector.counters.primaryTruncated = primary.filter(\.truncated).count
        collector.counters.secondaryTruncated = secondary.filter(\.truncated).count
        var actions: [CompareAction] = []
        let cycle = Int64(options.expiredScanCycleMs)
        let timeout = Int64(options.compareTimeoutMs)

        /// Every scan before `timeUs`. Between inputs a scan sees what the one before it saw until
        /// a queued packet passes compare_timeout, so such a run of scans is taken as its first
        /// and its last, the ones between counted as repeats: idle time costs nothing.
        func scans(before timeUs: Int64, inclusive: Bool) {
            let limitMs = CaptureCompare.floorDivide(timeUs, 1000) - (inclusive || timeUs % 1000 != 0 ? 0 : 1)
            while let deadline = compare.nextScanDeadlineMs, deadline <= limitMs {
                let requestsBefore = collector.timeoutRequests
                compare.scanTimerFired(nowMs: deadline, into: &actions)
                collector.take(&actions, at: deadline * 1000)
                let change = timeline.nextExpiryMs(after: deadline, queued: compare.connectionSnapshots, timeoutMs: timeout)
                let lastSame = min(limitMs, change.map { $0 - 1 } ?? Int64.max)
                guard lastSame >= deadline + 2 * cycle else { continue }
                let last = deadline + (lastSame - deadline) / cycle * cycle
                let skipped = Int((last - deadline) / cycle) - 1
                compare.scanTimerFired(nowMs: last, into: &actions)
                collector.take(&actions, at: last * 1000, afterSkipping: collector.timeoutRequests > requestsBefore ? skipped : 0)
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
    /// Engine arrival index → the millisecond the engine saw the frame (its queue creation time).
    var primaryArrivalMs: [Int64] = []
    var secondaryArrivalMs: [Int64] = []

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
            case .primary(let position):
                primaryOrder.append(position)
                primaryArrivalMs.append(CaptureCompare.floorDivide(item.timeUs, 1000))
            case .secondary(let position):
                secondaryOrder.append(position)
                secondaryArrivalMs.append(CaptureCompare.floorDivide(item.timeUs, 1000))
            case .checkpoint: break
            }
        }
    }

    /// The first millisecond after `nowMs` at which a queued packet passes the timeout (C-19:
    /// age > compare_timeout), so that a scan could see something the scan at `nowMs` did not;
    /// nil when every queued packet already has.
    func nextExpiryMs(after nowMs: Int64, queued: [CompareConnectionSnapshot], timeoutMs: Int64) -> Int64? {
        var earliest: Int64?
        for connection in queued {
            for (indices, arrivals) in [(connection.primaryQueue, primaryArrivalMs), (connection.secondaryQueue, secondaryArrivalMs)] {
                for index in indices where arrivals.indices.contains(index) {
                    let expiry = arrivals[index] + timeoutMs + 1
                    if expiry > nowMs { earliest = min(earliest ?? expiry, expiry) }
                }
            }
        }
        return earliest
    }
}

/// Turns engine actions into timed decisions, released frames and counters.
private struct Collector {
    let primaryOrder: [Int]
    let secondaryOrder: [Int]
    var decisions: [CaptureDecision] = []
    var released: [ReleasedFrame] = []
    var counters: CaptureCompareCounters

    let scanCycleUs: Int64
    /// Timeout requests taken so far, repeats included.
    var timeoutRequests = 0

    init(primaryOrder: [Int], secondaryOrder: [Int], primaryCount: Int, secondaryCount: Int, scanCycleUs: Int64) {
        self.primaryOrder = primaryOrder
        self.secondaryOrder = secondaryOrder
        self.scanCycleUs = scanCycleUs
        counters = CaptureCompareCounters(primaryFrames: primaryCount, secondaryFrames: secondaryCount)
    }

    /// `skipped`: scans between the last one taken and this one that saw the same as the last
    /// (they repeated its timeout request, if it made one, and did nothing else).
    mutating func take(_ actions: inout [CompareAction], at timeUs: Int64, afterSkipping skipped: Int = 0) {
        if skipped > 0, let last = decisions.indices.last, decisions[last].repeatsTimeout {
            decisions[last].repeats += skipped
            decisions[last].repeatEveryUs = scanCycleUs
            counters.count(decisions[last].event, times: skipped)
            timeoutRequests += skipped
        }
        for action in actions {
            switch action {
            case .event(let event):
                let mapped = event.remappingIndices(primary: { primaryOrder[$0] }, secondary: { secondaryOrder[$0] })
                if let last = decisions.indices.last, decisions[last].isRepeated(by: mapped, at: timeUs, cycleUs: scanCycleUs) {
                    decisions[last].repeats += 1
                    decisions[last].repeatEveryUs = scanCycleUs
                } else {
                    decisions.append(CaptureDecision(timeUs: timeUs, event: mapped))
                }
                if decisions.last?.repeatsTimeout == true { timeoutRequests += 1 }
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

extension CaptureDecision {
    /// A timeout request, which a later scan repeats while its packet stays queued.
    var repeatsTimeout: Bool {
        if case .checkpointRequest(let request) = event, case .timeout = request.reason { true } else { false }
    }

    /// `next` is this timeout request taken again one scan cycle after the last repetition: the
    /// same connection, side, packet and timeout, the packet one cycle older.
    func isRepeated(by next: CompareDecision, at timeUs: Int64, cycleUs: Int64) -> Bool {
        guard case .checkpointRequest(let request) = lastEvent, case .timeout(let old) = request.reason,
              case .checkpointRequest(let nextRequest) = next, case .timeout(let new) = nextRequest.reason else { return false }
        return timeUs == lastTimeUs + cycleUs && request.connection == nextRequest.connection && request.delivery == nextRequest.delivery
            && old.side == new.side && old.index == new.index && old.timeoutMs == new.timeoutMs && new.ageMs == old.ageMs + cycleUs / 1000
    }
}
