/// Which of the two COLO nodes a configuration belongs to.
public enum HostRole: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    case primary
    case secondary

    /// The node at the other end of the cross-host pipes.
    public var other: HostRole {
        switch self {
        case .primary: .secondary
        case .secondary: .primary
        }
    }

    public var description: String { rawValue }
}
