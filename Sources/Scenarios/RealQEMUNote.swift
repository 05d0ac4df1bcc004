/// A scenario's `real_qemu:` note: where a run on real QEMU is known to part from the emulated
/// run, and why. Without a note (or without `differs_in`) the two runs are expected to agree,
/// at least as far as both went (`lockstep diff-backends`).
public struct RealQEMUNote: Sendable, Hashable {
    public enum Cause: String, Sendable, Hashable, CaseIterable {
        /// Real threads and clocks: the real path takes longer than the emulated one, so an
        /// instant the scenario fixes falls at another point of the exchange.
        case timing
        /// QEMU itself does something else than the rule says (`rule` and `function` name it).
        case qemuFinding = "qemu_finding"
        /// The scenario runs a corrected profile; QEMU has the quirk.
        case profile
        /// The emulation is wrong and waits for a fix.
        case emulator
    }

    /// The decision tracks where the runs part (`checkpoints`, `failovers`, `releases`,
    /// `client`, `invariants`; each matches the tracks whose name it starts); empty: they agree.
    public var differsIn: [String]
    public var cause: Cause
    /// One or two sentences: what differs and why.
    public var note: String
    /// For a QEMU finding: the spec rule QEMU departs from and QEMU's function.
    public var rule: String?
    public var function: String?

    public init(differsIn: [String], cause: Cause, note: String, rule: String? = nil, function: String? = nil) {
        self.differsIn = differsIn
        self.cause = cause
        self.note = note
        self.rule = rule
        self.function = function
    }
}
