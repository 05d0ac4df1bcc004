extension VirtualDuration {
    /// The duration as a person writes it, in the largest unit that keeps it whole: `20s`,
    /// `250ms`, `100us`, `10ns`, `0` (what both notations of `init(parsing:notation:)` read back).
    public var wholeUnitText: String {
        let ns = nanoseconds
        if ns == 0 { return "0" }
        if ns % 1_000_000_000 == 0 { return "\(ns / 1_000_000_000)s" }
        if ns % 1_000_000 == 0 { return "\(ns / 1_000_000)ms" }
        if ns % 1_000 == 0 { return "\(ns / 1_000)us" }
        return "\(ns)ns"
    }
}
