/// Which QEMU's filter behaviour to reproduce where versions differ (§12).
public enum QEMUNetVersion: Sendable, Hashable, CustomStringConvertible {
    /// Debian bookworm's 7.2: redirector status only affects stealing, indev reading never
    /// resumes after a disconnect or framing error; filter-dump writes virtio-net headers.
    case qemu72
    /// Upstream (11.0 development): redirector status and chardev open/close attach and detach
    /// indev reading; filter-dump skips the netdev's virtio-net header.
    case upstream

    public var description: String {
        switch self {
        case .qemu72: "qemu-7.2"
        case .upstream: "upstream"
        }
    }

    /// Parses the names the CLI and scenarios use.
    public init?(name: String) {
        switch name {
        case "qemu-7.2", "7.2": self = .qemu72
        case "upstream", "11.0": self = .upstream
        default: return nil
        }
    }
}
