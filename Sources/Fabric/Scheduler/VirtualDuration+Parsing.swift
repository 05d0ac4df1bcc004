extension VirtualDuration {
    /// Where a duration is written. Both notations take a decimal number and a unit (ns, us, ms,
    /// s) and read `0` alone as zero; they differ where existing command lines and scenario
    /// files already rely on the difference.
    public enum Notation: Sendable {
        /// A `lockstep` option (`--duration 30`, `--transfer 2.5ms`): a number without a unit is
        /// seconds, and the number is decimal with an optional exponent (`1e3ms`), with no blanks
        /// (not hexadecimal, `inf` or `nan`, which `Double` would also read).
        case commandLine
        /// A scenario file: a unit is required, since a missing one is the classic slip
        /// (`compare_timeout: 3000`: ms or s?); blanks around the number and the unit and `_`
        /// between digits are allowed (`20_000 ms`); the number is plain digits, `.` and `-`.
        case scenarioFile
    }

    private static let units: [(suffix: String, nanoseconds: Double)] = [("ms", 1e6), ("us", 1e3), ("ns", 1), ("s", 1e9)]

    /// `250ms`, `1.5s`, `100us`, `10ns`, `0`, and per `notation` `30` or `20_000 ms`. Nil when
    /// the text is not a duration or its nanoseconds do not fit; negative values are returned,
    /// so that the caller can say why they are refused.
    public init?(parsing text: String, notation: Notation) {
        let handWritten = notation == .scenarioFile
        let text = handWritten ? Self.trimmingBlanks(text) : text
        if text == "0" {
            self = .zero
            return
        }
        let unit = Self.units.first { text.hasSuffix($0.suffix) }
        guard unit != nil || notation == .commandLine else { return nil }
        var number = String(text.dropLast(unit?.suffix.count ?? 0))
        if handWritten {
            number = Self.trimmingBlanks(number).filter { $0 != "_" }
            guard number.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) else { return nil }
        } else {
            guard number.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ".eE+-".unicodeScalars.contains($0) }) else { return nil }
        }
        let scale = unit?.nanoseconds ?? 1e9
        guard let amount = Double(number), amount.isFinite, abs(amount * scale) < 9e18 else { return nil }
        self = .nanoseconds(Int64((amount * scale).rounded()))
    }

    /// The text without leading and trailing spaces and tabs (Unicode's space separators and
    /// U+0009, the set Foundation calls `whitespaces`; Fabric does without Foundation).
    private static func trimmingBlanks(_ text: String) -> String {
        func isBlank(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isBlank($0) }),
              let last = scalars.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
