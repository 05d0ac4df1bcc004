/// What the lint should assume beyond the two command lines.
public struct LintOptions: Sendable, Hashable {
    /// The host the operator starts first. The documented order is the primary (L-2, T-6).
    public var startedFirst: HostRole

    public init(startedFirst: HostRole = .primary) {
        self.startedFirst = startedFirst
    }
}
