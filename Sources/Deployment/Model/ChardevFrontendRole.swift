/// How an object uses a chardev it names (its frontend role), which tells which way records flow.
public enum ChardevFrontendRole: Sendable, Hashable, CustomStringConvertible {
    case mirrorOutdev(filter: String)
    case redirectorIndev(filter: String)
    case redirectorOutdev(filter: String)
    case comparePrimaryIn(compare: String)
    case compareSecondaryIn(compare: String)
    case compareOutdev(compare: String)
    case compareNotifyDev(compare: String)
    /// `-netdev vhost-user,chardev=...`.
    case vhostUserNetdev(netdev: String)

    /// Id of the object or netdev holding the chardev.
    public var ownerID: String {
        switch self {
        case .mirrorOutdev(let id), .redirectorIndev(let id), .redirectorOutdev(let id),
             .comparePrimaryIn(let id), .compareSecondaryIn(let id), .compareOutdev(let id),
             .compareNotifyDev(let id), .vhostUserNetdev(let id):
            id
        }
    }

    /// The property that names the chardev.
    public var property: String {
        switch self {
        case .mirrorOutdev, .redirectorOutdev, .compareOutdev: "outdev"
        case .redirectorIndev: "indev"
        case .comparePrimaryIn: "primary_in"
        case .compareSecondaryIn: "secondary_in"
        case .compareNotifyDev: "notify_dev"
        case .vhostUserNetdev: "chardev"
        }
    }

    /// The owner writes records into the chardev.
    public var writes: Bool {
        switch self {
        case .mirrorOutdev, .redirectorOutdev, .compareOutdev, .compareNotifyDev, .vhostUserNetdev: true
        case .redirectorIndev, .comparePrimaryIn, .compareSecondaryIn: false
        }
    }

    /// The owner reads records from the chardev.
    public var reads: Bool {
        switch self {
        case .redirectorIndev, .comparePrimaryIn, .compareSecondaryIn, .compareNotifyDev, .vhostUserNetdev: true
        case .mirrorOutdev, .redirectorOutdev, .compareOutdev: false
        }
    }

    public var isCompare: Bool {
        switch self {
        case .comparePrimaryIn, .compareSecondaryIn, .compareOutdev, .compareNotifyDev: true
        default: false
        }
    }

    public var description: String { "\(ownerID).\(property)" }
}
