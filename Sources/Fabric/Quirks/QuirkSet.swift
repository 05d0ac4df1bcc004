/// One of an engine's QEMU quirks: a behaviour QEMU has that a corrected engine would not.
///
/// Each engine declares its quirks as the cases of one `Int` enum, in an order that means
/// nothing but gives each case its bit in a ``QuirkSet``. Beside the engine code that consults
/// it, declaring the case is all a new quirk takes: the engine's QEMU profiles reproduce every
/// quirk unless they say otherwise, and the corrected profile none.
public protocol Quirk: CaseIterable, Hashable, Sendable, RawRepresentable where RawValue == Int {}

/// Which of an engine's quirks are reproduced, one bit per quirk.
///
/// One word, so an engine hands it to every call on its per-packet path for the price of an
/// integer; a struct of one `Bool` per quirk cost ~60 instructions per call to gather into
/// registers and scatter again.
@frozen
public struct QuirkSet<Kind: Quirk>: Sendable, Hashable {
    @usableFromInline var bits: UInt32

    @inlinable
    public init(reproducing quirks: some Sequence<Kind>) {
        bits = 0
        for quirk in quirks { self[quirk] = true }
    }

    /// Every quirk reproduced: QEMU as it is.
    public static var all: QuirkSet { QuirkSet(reproducing: Kind.allCases) }

    /// No quirk reproduced: the corrected engine.
    public static var none: QuirkSet { QuirkSet(reproducing: []) }

    /// Whether `quirk` is reproduced (`true`, QEMU's behaviour) or corrected.
    @inlinable
    public subscript(quirk: Kind) -> Bool {
        get { bits & Self.bit(quirk) != 0 }
        set { bits = newValue ? bits | Self.bit(quirk) : bits & ~Self.bit(quirk) }
    }

    @inlinable
    static func bit(_ quirk: Kind) -> UInt32 {
        // A case past the word's last bit would read as always off.
        assert((0..<UInt32.bitWidth).contains(quirk.rawValue), "quirk \(quirk) has no bit in a QuirkSet")
        return 1 << UInt32(truncatingIfNeeded: quirk.rawValue)
    }
}
