/// Totals kept by the net core, so that every frame is accounted for:
/// walks = delivered + stolen + dropped + still queued.
public struct NetCounters: Sendable, Hashable {
    public internal(set) var walks = 0
    public internal(set) var delivered = 0
    public internal(set) var stolen = 0
    /// Frames appended to an incoming queue (a frame may be counted again if it is re-queued).
    public internal(set) var queued = 0
    private var drops = [Int](repeating: 0, count: DropReason.allCases.count)

    public init() {}

    public func dropped(_ reason: DropReason) -> Int {
        drops[Self.slot(reason)]
    }

    public var totalDropped: Int { drops.reduce(0, +) }

    /// Drop counts in the fixed order of `DropReason.allCases`, zero counts left out.
    public var nonZeroDrops: [(reason: DropReason, count: Int)] {
        DropReason.allCases.compactMap { reason in
            let count = dropped(reason)
            return count == 0 ? nil : (reason, count)
        }
    }

    mutating func countDrop(_ reason: DropReason) {
        drops[Self.slot(reason)] += 1
    }

    private static func slot(_ reason: DropReason) -> Int {
        DropReason.allCases.firstIndex(of: reason) ?? 0
    }
}
