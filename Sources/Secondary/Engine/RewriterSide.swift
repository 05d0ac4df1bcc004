import Fabric

/// Who sent a frame the rewriter sees (RW-3). The names follow QEMU's net clients: the filter
/// is attached to the netdev, whose peer is the guest's NIC.
public enum RewriterSide: Sendable, Hashable, CaseIterable {
    /// Sent by the netdev: traffic heading *to* the guest; primary-side rules, reversed key.
    case netdev
    /// Sent by the NIC: traffic *from* the guest; secondary-side rules, key as on the wire.
    case nic

    public static var toGuest: RewriterSide { .netdev }
    public static var fromGuest: RewriterSide { .nic }

    /// Stable token for reports: the direction relative to the guest.
    public var token: String {
        switch self {
        case .netdev: "to_guest"
        case .nic: "from_guest"
        }
    }

    /// Frames from the netdev use the reversed key (P-3) so both directions share one entry.
    var usesReversedKey: Bool { self == .netdev }
}
