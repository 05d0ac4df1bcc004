import Foundation
import Fabric
import GuestStack

/// Durations in messages, written as scenario files write them (which
/// `VirtualDuration(parsing:notation: .scenarioFile)` reads).
package enum DurationText {
    /// The largest unit that keeps the duration whole.
    package static func format(_ duration: VirtualDuration) -> String {
        duration.wholeUnitText
    }
}

enum RateText {
    /// `N/M`, `N%`, `Nppm`, or `0`/`1`.
    static func parse(_ text: String) -> Rate? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let slash = trimmed.firstIndex(of: "/") {
            guard let numerator = UInt64(trimmed[..<slash].trimmingCharacters(in: .whitespaces)),
                  let denominator = UInt64(trimmed[trimmed.index(after: slash)...].trimmingCharacters(in: .whitespaces)),
                  denominator > 0, numerator <= denominator else { return nil }
            return Rate(numerator, per: denominator)
        }
        if trimmed.hasSuffix("ppm"), let value = UInt64(trimmed.dropLast(3)), value <= 1_000_000 {
            return .perMillion(value)
        }
        if trimmed.hasSuffix("%"), let value = UInt64(trimmed.dropLast()), value <= 100 {
            return Rate(value, per: 100)
        }
        if trimmed == "0" { return .never }
        if trimmed == "1" { return .always }
        return nil
    }
}
