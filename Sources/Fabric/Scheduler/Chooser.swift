/// The single channel through which the simulation makes every nondeterministic decision.
///
/// A decision is an *offset* `0...maxOffset` into the range the caller offered; the extension
/// below maps offsets onto ranges, indices and booleans. Working in offsets keeps recorded
/// decisions plain unsigned integers, and makes offset 0 the canonical ("first / smallest")
/// outcome everywhere, which is what a shrinking fuzzer moves toward. Callers should therefore
/// arrange ranges so that 0 is the simplest behaviour (no jitter, no split, insertion order).
///
/// Conformers are reference types owned by one simulation; they are not thread-safe and do not
/// need to be, because the run loop is single-threaded. A chooser must not call back into the
/// ``Scheduler``: the run loop asks it for the order of simultaneous events while it is in the
/// middle of updating its queue.
public protocol Chooser: AnyObject {
    /// Returns an offset in `0...maxOffset`. Never called with `maxOffset == 0`: a range with a
    /// single value is not a decision, is answered without asking, and is not recorded.
    func decide(_ point: ChoicePoint, maxOffset: UInt64) -> UInt64

    /// Which of `count` (at least 2) events due at the same instant runs first, as an index in
    /// `0..<count`; `label(i)` names candidate `i`, in scheduling order. The default asks
    /// ``decide(_:maxOffset:)`` at ``ChoicePoint/simultaneousEvents``; a chooser that schedules
    /// by the events' owners (PCT) overrides it.
    func chooseSimultaneous(count: Int, label: (Int) -> EventLabel) -> Int
}

extension Chooser {
    public func chooseSimultaneous(count: Int, label: (Int) -> EventLabel) -> Int {
        chooseIndex(.simultaneousEvents, count: count)
    }

    /// A value in `range`; offset 0 is `range.lowerBound`.
    public func choose(_ point: ChoicePoint, in range: ClosedRange<Int64>) -> Int64 {
        let width = UInt64(bitPattern: range.upperBound &- range.lowerBound)
        guard width > 0 else { return range.lowerBound }
        let offset = min(decide(point, maxOffset: width), width)
        return range.lowerBound &+ Int64(bitPattern: offset)
    }

    /// A value in `0...max` over the full unsigned range (sequence numbers, identifiers); 0 is
    /// canonical.
    public func choose(_ point: ChoicePoint, upTo max: UInt64) -> UInt64 {
        guard max > 0 else { return 0 }
        return Swift.min(decide(point, maxOffset: max), max)
    }

    /// An index in `0..<count`; index 0 is the canonical choice. `count` must be at least 1.
    public func chooseIndex(_ point: ChoicePoint, count: Int) -> Int {
        guard count > 1 else { return 0 }
        let width = UInt64(count - 1)
        return Int(min(decide(point, maxOffset: width), width))
    }

    /// A duration in `0...max`; zero is canonical.
    public func chooseDuration(_ point: ChoicePoint, upTo max: VirtualDuration) -> VirtualDuration {
        guard max.nanoseconds > 0 else { return .zero }
        return VirtualDuration(nanoseconds: choose(point, in: 0...max.nanoseconds))
    }

    /// `true` with probability about `numerator / denominator` under a uniform chooser; `false`
    /// is canonical.
    public func chooseEvent(_ point: ChoicePoint, numerator: UInt64, denominator: UInt64) -> Bool {
        guard numerator > 0, denominator > 0 else { return false }
        guard numerator < denominator else { return true }
        let draw = choose(point, upTo: denominator - 1)
        return draw >= denominator - numerator
    }
}
