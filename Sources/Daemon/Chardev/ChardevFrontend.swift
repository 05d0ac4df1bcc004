/// Which object uses a chardev. QEMU gives a chardev one frontend at most (C-1.4).
enum ChardevFrontend: Equatable {
    case unused
    case primaryIn(compare: Int)
    case secondaryIn(compare: Int)
    case outdev(compare: Int)
    /// Read (COLO_CHECKPOINT, COLO_USERSPACE_PROXY_INIT) and written (DO_CHECKPOINT, replies).
    case notifyDev(compare: Int)
    case monitor

    var compareIndex: Int? {
        switch self {
        case .primaryIn(let index), .secondaryIn(let index), .outdev(let index), .notifyDev(let index): index
        case .unused, .monitor: nil
        }
    }

    /// The compare role as QEMU names it in messages.
    var roleName: String {
        switch self {
        case .unused: "unused"
        case .primaryIn: "primary_in"
        case .secondaryIn: "secondary_in"
        case .outdev: "outdev"
        case .notifyDev: "notify_dev"
        case .monitor: "monitor"
        }
    }
}
