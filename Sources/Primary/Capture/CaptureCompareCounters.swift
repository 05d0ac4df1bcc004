/// Totals of a capture run, by reason token (sorted by token, so output is stable).
public struct CaptureCompareCounters: Sendable, Hashable {
    public struct Count: Sendable, Hashable {
        public var token: String
        public var count: Int
    }

    public var primaryFrames: Int
    public var secondaryFrames: Int
    public private(set) var releases: [Count] = []
    public private(set) var primaryDrops: [Count] = []
    public private(set) var secondaryDrops: [Count] = []
    public private(set) var checkpointRequests: [Count] = []
    public private(set) var checkpoints = 0
    /// Still queued when the run ended (neither released nor dropped yet).
    public var primaryQueuedAtEnd = 0
    public var secondaryQueuedAtEnd = 0
    /// Frames the capture cut short (caplen < len), compared as captured.
    public var primaryTruncated = 0
    public var secondaryTruncated = 0

    public init(primaryFrames: Int, secondaryFrames: Int) {
        self.primaryFrames = primaryFrames
        self.secondaryFrames = secondaryFrames
    }

    public var totalReleases: Int { releases.reduce(0) { $0 + $1.count } }
    public var totalPrimaryDrops: Int { primaryDrops.reduce(0) { $0 + $1.count } }
    public var totalSecondaryDrops: Int { secondaryDrops.reduce(0) { $0 + $1.count } }
    public var totalCheckpointRequests: Int { checkpointRequests.reduce(0) { $0 + $1.count } }

    mutating func count(_ event: CompareDecision, times: Int = 1) {
        switch event {
        case .release(let release): CaptureCompareCounters.bump(&releases, release.reason.token, by: times)
        case .drop(let drop) where drop.side == .primary: CaptureCompareCounters.bump(&primaryDrops, drop.reason.token, by: times)
        case .drop(let drop): CaptureCompareCounters.bump(&secondaryDrops, drop.reason.token, by: times)
        case .checkpointRequest(let request): CaptureCompareCounters.bump(&checkpointRequests, request.reason.token, by: times)
        case .flush: checkpoints += times
        case .notifyReceived: break
        }
    }

    private static func bump(_ counts: inout [Count], _ token: String, by amount: Int) {
        if let index = counts.firstIndex(where: { $0.token == token }) {
            counts[index].count += amount
        } else {
            counts.append(Count(token: token, count: amount))
            counts.sort { $0.token < $1.token }
        }
    }
}
