import Fabric
import Deployment
import COLORuntime

/// Where an emulated run and a real-QEMU run of the same configuration part.
///
/// Both runs are cut into the same decision tracks (``DecisionTracks``); within a track the
/// keys are compared in order. Times are never compared (QEMU runs on real threads and clocks),
/// only which decisions were taken and in which order. The first difference is the one whose
/// decision happened earliest in the emulated run (or, when the emulated run has no such
/// decision, at the real run's instant).
public struct BackendDiff: Sendable, Hashable {
    public struct TrackResult: Sendable, Hashable {
        public var name: String
        public var emulatedCount: Int
        public var realCount: Int
        /// Decisions equal from the start of the track.
        public var agreeing: Int
        public var agrees: Bool { agreeing == emulatedCount && agreeing == realCount }
    }

    public struct Difference: Sendable, Hashable {
        public var track: String
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
    public var firstDifference: Difference?
    /// Every track's first difference, earliest first.
    public var differences: [Difference]

    public var agrees: Bool { firstDifference == nil }

    public init(emulated: RunReport, real: RunReport, topology: Topology) {
        let left = DecisionTracks.extract(emulated, topology: topology)
        let right = DecisionTracks.extract(real, topology: topology)
        var names: [String] = left.map(\.name)
        for track in right where !names.contains(track.name) { names.append(track.name) }
        var results: [TrackResult] = []
        var differences: [Difference] = []
        for name in names {
            let a = left.first { $0.name == name }?.items ?? []
            let b = right.first { $0.name == name }?.items ?? []
            var same = 0
            while same < a.count, same < b.count, a[same].key == b[same].key { same += 1 }
            results.append(TrackResult(name: name, emulatedCount: a.count, realCount: b.count, agreeing: same))
            guard same < a.count || same < b.count else { continue }
            let x = same < a.count ? a[same] : nil
            let y = same < b.count ? b[same] : nil
            differences.append(Difference(
                track: name, index: same, emulatedKey: x?.key, emulatedTime: x?.time, emulatedExplanation: x?.explanation,
                realKey: y?.key, realTime: y?.time, realExplanation: y?.explanation))
        }
        differences.sort { ($0.emulatedTime ?? $0.realTime ?? .zero) < ($1.emulatedTime ?? $1.realTime ?? .zero) }
        tracks = results
        self.differences = differences
        firstDifference = differences.first
    }
}
