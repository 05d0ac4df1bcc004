import ArgumentParser
import Fabric
import COLORuntime

/// The documented range of every numeric option (each command's `--help`, docs/options.md),
/// checked with one message shape: `--NAME must be between LOW and HIGH (got VALUE)`.
enum OptionRange {
    static func check<T: BinaryInteger>(_ value: T?, _ name: String, _ range: ClosedRange<T>) throws {
        guard let value, !range.contains(value) else { return }
        throw ValidationError("\(name) must be between \(range.lowerBound) and \(range.upperBound) (got \(value))")
    }

    static func check(_ value: Double?, _ name: String, _ range: ClosedRange<Double>, unit: String) throws {
        guard let value else { return }
        guard value.isFinite, range.contains(value) else {
            throw ValidationError("\(name) must be a number of \(unit) between \(shown(range.lowerBound)) and \(shown(range.upperBound)) (got \(value))")
        }
    }

    /// A duration option: at least `minimum` (zero allowed unless `positive`), at most `maximum`.
    static func check(_ value: DurationArgument?, _ name: String, positive: Bool = false,
                      maximum: VirtualDuration = RunLimits.longestDuration, maximumText: String = "100 days") throws {
        guard let duration = value?.value else { return }
        if duration.nanoseconds < 0 || (positive && duration.nanoseconds == 0) {
            throw ValidationError("\(name) must be \(positive ? "positive" : "zero or more") (got \(text(duration)))")
        }
        if duration > maximum {
            throw ValidationError("\(name) must be at most \(maximumText) (got \(text(duration)))")
        }
    }

    /// x-checkpoint-delay: whole milliseconds from 1 ms, as QEMU's uint32 property.
    static func checkCheckpointDelay(_ value: DurationArgument?, _ name: String) throws {
        guard let duration = value?.value else { return }
        let valid = duration.nanoseconds >= 1_000_000 && duration.nanoseconds % 1_000_000 == 0
            && duration <= RunLimits.longestCheckpointDelay
        if !valid {
            throw ValidationError("\(name) must be whole milliseconds (QEMU's unit) from 1ms to \(UInt32.max)ms (got \(text(duration)))")
        }
    }

    static func text(_ duration: VirtualDuration) -> String {
        duration.wholeUnitText
    }

    private static func shown(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
