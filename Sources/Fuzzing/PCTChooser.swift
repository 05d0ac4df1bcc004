import Fabric

/// The knobs of `--strategy pct`.
public struct PCTParameters: Sendable, Hashable, Codable {
    /// The bug depth PCT aims at: `depth - 1` priority changes per run.
    public var depth: Int
    /// How many ordering steps a run is expected to take; change points are drawn in
    /// `0..<steps`. A campaign measures it once (``FuzzTarget/orderingSteps(seed:)``).
    public var steps: Int

    public init(depth: Int = 3, steps: Int) {
        self.depth = depth
        self.steps = steps
    }
}

/// Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010) over the run loop's
/// choice among simultaneous events.
///
/// A *source* is an event label without its last word ("pipe mirror0->red0 arrive" and
/// "pipe mirror0->red0 read" are both the pipe "pipe mirror0->red0"; "primary guest output" is
/// "primary guest"): labels are made once per component, so the source is stable across runs
/// of one scenario. Each source gets a random priority (at least `depth`) when first seen; at an
/// ordering step the candidate whose source has the highest priority runs (ties: scheduling
/// order). At `depth - 1` step indices drawn in `0..<steps`, the source that would run is first
/// lowered to a distinct priority in `0..<depth-1`, below every initial one; that
/// is the bounded number of priority changes that gives PCT its guarantee: a bug of depth `d`
/// among `n` sources and `k` steps is found with probability at least `1 / (n k^(d-1))`.
/// Every other decision (latency, jitter, chunk splits, ISN, IP ID) comes from a seeded stream,
/// as in the random strategy. Everything is fixed by `seed`.
public final class PCTChooser: Chooser {
    public let parameters: PCTParameters
    private var draws: Xoshiro256StarStar
    private var priorityDraws: Xoshiro256StarStar
    /// Step index → the priority the running source drops to there.
    private let changes: [Int: Int64]
    private var step = 0
    private var sourceOfLabel: [UInt64: Int] = [:]
    private var sourceIndex: [String: Int] = [:]
    private var priorities: [Int64] = []
    /// Priority changes made so far (at most `depth - 1`).
    public private(set) var changesMade = 0

    public init(seed: UInt64, parameters: PCTParameters) {
        self.parameters = parameters
        draws = Xoshiro256StarStar(seed: seed)
        var mixer = SplitMix64(seed: seed ^ 0x5043_5450_4354_5043)
        priorityDraws = Xoshiro256StarStar(seed: mixer.next())
        var changes: [Int: Int64] = [:]
        let wanted = min(max(parameters.depth - 1, 0), max(parameters.steps, 0))
        var change = 0
        while changes.count < wanted {
            let at = Int(priorityDraws.next(upTo: UInt64(parameters.steps - 1)))
            guard changes[at] == nil else { continue }
            changes[at] = Int64(wanted - 1 - change)
            change += 1
        }
        self.changes = changes
    }

    public func decide(_ point: ChoicePoint, maxOffset: UInt64) -> UInt64 {
        draws.next(upTo: maxOffset)
    }

    public func chooseSimultaneous(count: Int, label: (Int) -> EventLabel) -> Int {
        guard count > 1 else { return 0 }
        defer { step += 1 }
        var sources: [Int] = []
        sources.reserveCapacity(count)
        for position in 0..<count { sources.append(source(of: label(position))) }
        var best = highest(sources)
        if let lowered = changes[step] {
            priorities[sources[best]] = lowered
            changesMade += 1
            best = highest(sources)
        }
        return best
    }

    private func highest(_ sources: [Int]) -> Int {
        var best = 0
        for position in sources.indices.dropFirst() where priorities[sources[position]] > priorities[sources[best]] {
            best = position
        }
        return best
    }

    private func source(of label: EventLabel) -> Int {
        if let known = sourceOfLabel[label.hash] { return known }
        let name = Self.sourceName(label.name)
        let index: Int
        if let existing = sourceIndex[name] {
            index = existing
        } else {
            index = priorities.count
            sourceIndex[name] = index
            // Initial priorities sit above every changed one (0..<depth-1).
            priorities.append(Int64(max(parameters.depth, 1)) + Int64(priorityDraws.next(upTo: UInt64(UInt32.max))))
        }
        sourceOfLabel[label.hash] = index
        return index
    }

    /// The label without its last word, or the whole label when it is one word.
    public static func sourceName(_ label: String) -> String {
        guard let space = label.lastIndex(of: " ") else { return label }
        return String(label[..<space])
    }
}
