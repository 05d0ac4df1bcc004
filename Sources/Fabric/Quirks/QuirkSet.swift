/// One of an engine's QEMU quirks: a behaviour QEMU has that a corrected engine would not.
///
/// Each engine declares its quirks as the cases of one `Int` enum, in an order that means
/// nothing but gives each case its bit in a ``QuirkSet``. Beside the engine code that consults
/// it, declaring the case is all a new quirk takes: the engine's QEMU profiles reproduce every
/// quirk unless they say otherwise, and the corrected profile none.
public protocol Quirk: CaseIterable, Hashable, Sendable, RawRepresentable where RawValue == Int {}

/// Which of an engine's quirks are reproduced, one bit per quirk, and in the word's top two
/// bits an engine's one switch with more than two settings (colo-compare's `PastFrameReads`).
///
/// One word, so an engine hands it to every call on its per-packet path for the price of an
/// integer: a struct of one `Bool` per quirk cost ~60 instructions per call to gather into
/// registers and scatter again, and even a second field beside the word had to be packed into
/// a register at every call.
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

    /// Whether `quirk` is reproduced (`true`, QEMU's behaviour) or corrected. Always inlined:
    /// read on every packet, it must come down to a test of a constant bit, which the inliner
    /// left to itself does not always make of it across files.
    @inlinable
    public subscript(quirk: Kind) -> Bool {
        @inline(__always) get { bits & Self.bit(quirk) != 0 }
        @inline(__always) set { bits = newValue ? bits | Self.bit(quirk) : bits & ~Self.bit(quirk) }
    }

    /// The multi-valued switch, 0...3, kept above every quirk's bit.
    @inlinable
    public var setting: UInt32 {
        @inline(__always) get { bits >> Self.settingShift }
        set { bits = bits & (1 << Self.settingShift - 1) | (newValue & 3) << Self.settingShift }
    }

    @usableFromInline static var settingShift: UInt32 { 30 }

    /// A case on the setting's bits or past the word would not be a switch of its own; the
    /// engines' tests toggle every quirk alone and would see it.
    @inlinable @inline(__always)
    static func bit(_ quirk: Kind) -> UInt32 { 1 << UInt32(truncatingIfNeeded: quirk.rawValue) }
}
