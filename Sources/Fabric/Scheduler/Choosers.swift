/// Always the first / smallest outcome: no jitter, no chunk splits, insertion order. The
/// reference behaviour a fuzzer shrinks toward.
public final class CanonicalChooser: Chooser {
    public init() {}

    public func decide(_ point: ChoicePoint, maxOffset: UInt64) -> UInt64 { 0 }
}

/// Uniform decisions from one ``Xoshiro256StarStar`` stream seeded with `seed`.
///
/// All choice points share the stream, so one seed fixes the whole run; a change in the number
/// or order of decisions earlier in a run changes every later one, which is expected.
public final class SeededChooser: Chooser {
    public let seed: UInt64
    private var generator: Xoshiro256StarStar

    public init(seed: UInt64) {
        self.seed = seed
        generator = Xoshiro256StarStar(seed: seed)
    }

    public func decide(_ point: ChoicePoint, maxOffset: UInt64) -> UInt64 {
        generator.next(upTo: maxOffset)
    }
}

/// One recorded decision, kept for diagnostics next to the bare offsets.
public struct ChoiceRecord: Sendable, Hashable {
    public var point: ChoicePoint
    public var maxOffset: UInt64
    public var offset: UInt64
}

/// Passes every decision to `inner` and records it. `decisions` alone is enough to replay the run
/// with ``ReplayingChooser``.
public final class RecordingChooser: Chooser {
    public let inner: any Chooser
    public private(set) var decisions: [UInt64] = []
    public private(set) var log: [ChoiceRecord] = []
    /// Keeping the full log costs memory on long runs; the bare decisions are always kept.
    public let keepsLog: Bool

    public init(wrapping inner: any Chooser, keepsLog: Bool = false) {
        self.inner = inner
        self.keepsLog = keepsLog
    }

    public func decide(_ point: ChoicePoint, maxOffset: UInt64) -> UInt64 {
        let offset = min(inner.decide(point, maxOffset: maxOffset), maxOffset)
        decisions.append(offset)
        if keepsLog {
            log.append(ChoiceRecord(point: point, maxOffset: maxOffset, offset: offset))
        }
        return offset
    }

    /// Lets `inner` pick (it may schedule by owner) and records the pick as an ordinary decision,
    /// so ``ReplayingChooser`` replays it through the default.
    public func chooseSimultaneous(count: Int, label: (Int) -> EventLabel) -> Int {
        let index = min(max(inner.chooseSimultaneous(count: count, label: label), 0), count - 1)
        decisions.append(UInt64(index))
        if keepsLog {
            log.append(ChoiceRecord(point: .simultaneousEvents, maxOffset: UInt64(count - 1), offset: UInt64(index)))
        }
        return index
    }
}

/// Replays a recorded decision list. An offset larger than the range now offered is clamped to
/// the range's top; once the list runs out, decisions come from `fallback` (canonical by
/// default). Both rules exist so that any edited or shortened list is still a valid run, which
/// is what lets a fuzzer shrink a failing list.
public final class ReplayingChooser: Chooser {
    public let decisions: [UInt64]
    public let fallback: any Chooser
    public private(set) var consumed = 0
    public private(set) var clampedCount = 0
    public private(set) var fallbackCount = 0

    public init(decisions: [UInt64], fallback: any Chooser = CanonicalChooser()) {
        self.decisions = decisions
        self.fallback = fallback
    }

    public var isExhausted: Bool { consumed >= decisions.count }

    public func decide(_ point: ChoicePoint, maxOffset: UInt64) -> UInt64 {
        guard consumed < decisions.count else {
            fallbackCount += 1
            return min(fallback.decide(point, maxOffset: maxOffset), maxOffset)
        }
        let recorded = decisions[consumed]
        consumed += 1
        if recorded > maxOffset {
            clampedCount += 1
            return maxOffset
        }
        return recorded
    }
}
