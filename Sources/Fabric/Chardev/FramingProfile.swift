/// Which reader behaviour to reproduce.
public enum FramingProfile: Sendable, Hashable, CaseIterable {
    /// Exactly QEMU's reader, quirks included (W-7: a zero-length record is delivered only when
    /// more input arrives).
    case qemu
    /// QEMU's reader with W-7 corrected: a zero-length record is delivered as soon as its header
    /// is complete. Everything else (capacity check, error reaction) is unchanged.
    case corrected

    /// Whether a zero-length record waits for the next input byte (W-7).
    public var defersZeroLengthRecords: Bool { self == .qemu }
}
