import Foundation
import Fabric
import GuestStack

/// Durations and probabilities as scenario files write them.
package enum DurationText {
    private static let units: [(suffix: String, nanoseconds: Double)] = [("ms", 1e6), ("us", 1e3), ("ns", 1), ("s", 1e9)]

    /// `250ms`, `3s`, `1.5s`, `20000 ms`, `100us`, `10ns`, or `0`. A bare non-zero number is
    /// refused: a missing unit is the classic slip (`compare_timeout: 3000` — ms or s?).
    static func parse(_ text: String) -> VirtualDuration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "0" { return .zero }
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            let number = trimmed.dropLast(unit.suffix.count).trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
            guard !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }),
                  let amount = Double(number), amount.isFinite, abs(amount * unit.nanoseconds) < 9e18 else { return nil }
            return .nanoseconds(Int64((amount * unit.nanoseconds).rounded()))
        }
        return nil
    }

    /// How a duration is shown in messages: the largest unit that keeps it whole.
    package static func format(_ duration: VirtualDuration) -> String {
        let ns = duration.nanoseconds
        if ns == 0 { return "0" }
        if ns % 1_000_000_000 == 0 { return "\(ns / 1_000_000_000)s" }
        if ns % 1_000_000 == 0 { return "\(ns / 1_000_000)ms" }
        if ns % 1_000 == 0 { return "\(ns / 1_000)us" }
        return "\(ns)ns"
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
