/// Which property named the chardev a setup step could not use.
public enum ChardevRole: Sendable, Hashable, CustomStringConvertible {
    /// filter-mirror's `outdev`.
    case mirrorOutdev
    /// filter-redirector's `indev` (QEMU's message says "IN Device").
    case redirectorIndev
    /// filter-redirector's `outdev` (QEMU's message says "OUT Device").
    case redirectorOutdev

    public var description: String {
        switch self {
        case .mirrorOutdev: "outdev"
        case .redirectorIndev: "indev (IN device)"
        case .redirectorOutdev: "outdev (OUT device)"
        }
    }
}

/// A filter's own setup hook failed (F-1 step 5); the filter is not inserted.
public enum FilterSetupError: Error, Sendable, Hashable, CustomStringConvertible {
    /// M-2.1: filter-mirror without `outdev`.
    case mirrorOutdevMissing
    /// M-2.2 / R-2.4 / R-2.5: no chardev with that id.
    case chardevNotFound(id: String, role: ChardevRole)
    /// M-2.3 / R-2.4 / R-2.5: the chardev exists but cannot take this filter as its frontend.
    case chardevAttachFailed(id: String, role: ChardevRole, reason: ChardevAttachError)
    ///
    case redirectorNeedsIndevOrOutdev
    ///
    case redirectorIndevEqualsOutdev(String)
    /// filter-dump without `file`.
    case dumpFileMissing
    /// filter-dump could not create its capture file.
    case dumpCannotOpen(PcapError)
    /// For filters defined elsewhere (rewriter, buffer …).
    case other(String)

    public var description: String {
        switch self {
        case .mirrorOutdevMissing:
            "filter-mirror needs 'outdev': a mirror must have a chardev to copy frames to (QEMU reports device-not-found: the parameter cannot be empty)"
        case .chardevNotFound(let id, let role):
            "\(role) chardev '\(id)' not found: create the chardev before the filter"
        case .chardevAttachFailed(let id, let role, let reason):
            "\(role) chardev '\(id)' cannot be used: \(reason)"
        case .redirectorNeedsIndevOrOutdev:
            "filter-redirector needs 'indev' or 'outdev' (at least one): without either it would do nothing"
        case .redirectorIndevEqualsOutdev(let id):
            "filter-redirector's 'indev' and 'outdev' are both '\(id)': they must be different chardevs"
        case .dumpFileMissing:
            "filter-dump needs the 'file' property"
        case .dumpCannotOpen(let error):
            "filter-dump cannot open its file: \(error)"
        case .other(let message):
            message
        }
    }
}
