import Deployment

/// A stable name for one drawn component of a COLO figure, so other views (packet walk, ladder,
/// reports) can point at it and the figure can highlight it.
///
/// Text form (also accepted by `lockstep figure --highlight`): `primary`, `primary/guest`,
/// `primary/nic/0`, `primary/netdev/hn0`, `primary/filter/m0`, `primary/compare/comp0`,
/// `primary/chardev/mirror0`, `link/primary/mirror0/secondary/red0` (server end first). `/` cannot
/// occur in QEMU ids, so the form is unambiguous.
public enum ComponentID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// One QEMU process (its frame in the figure).
    case host(HostRole)
    /// The guest VM of a host (the box its NICs sit in).
    case guest(HostRole)
    /// A guest NIC by its index among the host's `-device` NICs (NICs need not have ids).
    case nic(HostRole, index: Int)
    case netdev(HostRole, id: String)
    case filter(HostRole, id: String)
    case compare(HostRole, id: String)
    /// A chardev where it is used: a filter's or compare's port.
    case chardev(HostRole, id: String)
    /// A pipe between two socket chardevs.
    case link(server: ChardevEndpoint, client: ChardevEndpoint)

    public static func link(_ link: ChardevLink) -> ComponentID {
        .link(server: link.server, client: link.client)
    }

    /// The host the component belongs to (a link: its server's host).
    public var host: HostRole {
        switch self {
        case .host(let role), .guest(let role), .nic(let role, _), .netdev(let role, _),
             .filter(let role, _), .compare(let role, _), .chardev(let role, _):
            role
        case .link(let server, _):
            server.host
        }
    }

    public var description: String {
        switch self {
        case .host(let role): "\(role)"
        case .guest(let role): "\(role)/guest"
        case .nic(let role, let index): "\(role)/nic/\(index)"
        case .netdev(let role, let id): "\(role)/netdev/\(id)"
        case .filter(let role, let id): "\(role)/filter/\(id)"
        case .compare(let role, let id): "\(role)/compare/\(id)"
        case .chardev(let role, let id): "\(role)/chardev/\(id)"
        case .link(let server, let client): "link/\(server.host)/\(server.chardev)/\(client.host)/\(client.chardev)"
        }
    }

    /// Parses the text form; nil for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 5, parts[0] == "link",
           let serverHost = HostRole(rawValue: parts[1]), let clientHost = HostRole(rawValue: parts[3]),
           !parts[2].isEmpty, !parts[4].isEmpty {
            self = .link(server: ChardevEndpoint(host: serverHost, chardev: parts[2]),
                         client: ChardevEndpoint(host: clientHost, chardev: parts[4]))
            return
        }
        guard let role = parts.first.flatMap(HostRole.init(rawValue:)) else { return nil }
        switch parts.count {
        case 1:
            self = .host(role)
        case 2 where parts[1] == "guest":
            self = .guest(role)
        case 3 where !parts[2].isEmpty:
            let id = parts[2]
            switch parts[1] {
            case "nic":
                guard let index = Int(id), index >= 0 else { return nil }
                self = .nic(role, index: index)
            case "netdev": self = .netdev(role, id: id)
            case "filter": self = .filter(role, id: id)
            case "compare": self = .compare(role, id: id)
            case "chardev": self = .chardev(role, id: id)
            default: return nil
            }
        default:
            return nil
        }
    }

    public static func < (lhs: ComponentID, rhs: ComponentID) -> Bool {
        lhs.description < rhs.description
    }
}

/// How a figure is drawn.
public enum FigureStyle: String, Sendable, Hashable, CaseIterable {
    /// Plain ASCII: `+-|`, arrows `> < ^ v`.
    case ascii
    /// Unicode box drawing: `┌─│`, host frames `╔═║`, arrows `▶ ◀ ▲ ▼`.
    case unicode

    var glyphs: GlyphSet {
        switch self {
        case .ascii: .ascii
        case .unicode: .unicode
        }
    }
}
