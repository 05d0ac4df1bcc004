/// What the lint should assume beyond the two command lines.
public struct LintOptions: Sendable, Hashable {
    /// The host the operator starts first. The documented order is the primary (L-2, T-6).
    public var startedFirst: HostRole
    /// The QEMU release the command lines are for, and why it was assumed.
    public var qemu: QEMUVersionChoice

    public init(startedFirst: HostRole = .primary, qemu: QEMUVersionChoice = .default) {
        self.startedFirst = startedFirst
        self.qemu = qemu
    }

    public var version: QEMUVersion { qemu.version }
}
