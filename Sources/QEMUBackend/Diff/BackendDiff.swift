import Fabric
import Deployment
import COLORuntime

/// Where an emulated run and a real-QEMU run of the same configuration part.
///
/// Both runs are cut into the same decision tracks (``DecisionTracks``); within a track the
/// keys are compared in order. Times are never compared (QEMU runs on real threads and clocks),
/// only which decisions were taken and in which order. A track where one run simply took fewer
/// decisions than the other, all equal to the other's first ones, is *cut* when the shorter run
/// had no chance to take the rest: its duration stopped it, or the other run took them before a
/// host loss (which came at a later point of its work) or after its workload was done.
/// Otherwise, and wherever the decisions at one position differ, the track *diverges*. The first difference is the earliest divergence (by the emulated run's time),
/// else the earliest cut.
public struct BackendDiff: Sendable, Hashable {
    public enum Verdict: String, Sendable, Hashable {
        case agree
        /// Equal as far as both runs went.
        case cut
        case diverge
    }

    public struct TrackResult: Sendable, Hashable {
        public var name: String
        public var emulatedCount: Int
        public var realCount: Int
        /// Decisions equal from the start of the track.
        public var agreeing: Int
        public var verdict: Verdict
    }

    public struct Difference: Sendable, Hashable {
        public var track: String
        public var verdict: Verdict
        /// 0-based position in the track.
        public var index: Int
        public var emulatedKey: String?
        public var emulatedTime: VirtualTime?
        public var emulatedExplanation: String?
        public var realKey: String?
        public var realTime: VirtualTime?
        public var realExplanation: String?
    }

    public var tracks: [TrackResult]
    /// Every differing track's first difference: divergences first, each kind earliest first.
    public var differences: [Difference]

    public var firstDifference: Difference? { differences.first }
    /// No track diverges (some may be cut).
    public var agreesAsFarAsBothWent: Bool { !differences.contains { $0.verdict == .diverge } }
    public var agrees: Bool { differences.isEmpty }

    public var verdict: Verdict { agrees ? .agree : agreesAsFarAsBothWent ? .cut : .diverge }

    public init(emulated: RunReport, real: RunReport, topology: Topology) {
        let left = DecisionTracks.extract(emulated, topology: topology)
        let right = DecisionTracks.extract(real, topology: topology)
        var names: [String] = left.map(\.name)
        for track in right where !names.contains(track.name) { names.append(track.name) }
        let cutByTime = [emulated, real].contains { $0.stopReason == .durationReached && !$0.workload.isComplete }
        // A run may stop taking decisions of a track without parting from the other: when its
        // duration stopped it, when the other run's extra decisions came before that run lost
        // a host (the fixed instant fell at a later point of its work: the emulated path is
        // faster), or when they came after its workload was done (the settle time, which timing
        // alone fills). Extra decisions after a host loss are real differences (what the
        // survivor did).
        func isCut(extra: ArraySlice<DecisionTrack.Item>, of longer: RunReport, against shorter: RunReport) -> Bool {
            if shorter.stopReason == .durationReached { return true }
            let loss = longer.controllerEvents.first { if case .hostLost = $0.event { true } else { false } }?.time
            if let loss, extra.allSatisfy({ $0.time < loss }) { return true }
            guard let done = longer.workload.completedAt else { return false }
            return extra.allSatisfy { $0.time >= done }
        }
        var results: [TrackResult] = []
        var differences: [Difference] = []
        for name in names {
            let a = left.first { $0.name == name }?.items ?? []
            let b = right.first { $0.name == name }?.items ?? []
            var same = 0
            while same < a.count, same < b.count, a[same].key == b[same].key { same += 1 }
            let verdict: Verdict
            if same == a.count && same == b.count {
                verdict = .agree
            } else if same == a.count || same == b.count {
                verdict = same == a.count ? (isCut(extra: b[same...], of: real, against: emulated) ? .cut : .diverge)
                    : (isCut(extra: a[same...], of: emulated, against: real) ? .cut : .diverge)
            } else {
                // What the client read differs whenever one run was stopped by the clock
                // mid-workload: that follows from the speed of the path, not a decision.
                verdict = name == "client" && cutByTime ? .cut : .diverge
            }
            results.append(TrackResult(name: name, emulatedCount: a.count, realCount: b.count, agreeing: same, verdict: verdict))
            guard verdict != .agree else { continue }
            let x = same < a.count ? a[same] : nil
            let y = same < b.count ? b[same] : nil
            differences.append(Difference(
                track: name, verdict: verdict, index: same, emulatedKey: x?.key, emulatedTime: x?.time,
                emulatedExplanation: x?.explanation, realKey: y?.key, realTime: y?.time, realExplanation: y?.explanation))
        }
        differences.sort { first, second in
            if first.verdict != second.verdict { return first.verdict == .diverge }
            return (first.emulatedTime ?? first.realTime ?? .zero) < (second.emulatedTime ?? second.realTime ?? .zero)
        }
        tracks = results
        self.differences = differences
    }
}
