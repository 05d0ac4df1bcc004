import Fabric

/// The five netfilter object types the model knows.
public enum FilterKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case mirror = "filter-mirror"
    case redirector = "filter-redirector"
    case rewriter = "filter-rewriter"
    case buffer = "filter-buffer"
    case dump = "filter-dump"

    /// The QOM type name, e.g. `filter-mirror`.
    public var typeName: String { rawValue }

    public var description: String { rawValue }
}

/// One `-object filter-*`. Properties that a kind does not have stay at their defaults; the
/// importer refuses them as QEMU does.
public struct FilterConfiguration: Sendable, Hashable {
    public var kind: FilterKind
    public var id: String
    /// The backend the filter attaches to; nil only for input QEMU refuses (F-1.1).
    public var netdev: String?
    public var queue: FilterQueue
    public var status: FilterStatus
    public var position: FilterPosition
    public var insert: FilterInsert
    /// filter-redirector: chardev whose records are injected.
    public var indev: String?
    /// filter-mirror / filter-redirector: chardev frames are copied or redirected to.
    public var outdev: String?
    /// mirror, redirector, rewriter: frames carry a virtio-net header length field (W-1).
    public var vnetHeaderSupport: Bool
    /// filter-dump: capture file.
    public var file: String?
    /// filter-dump: bytes kept per frame; nil means QEMU's default (65 536).
    public var maxlen: UInt32?
    /// filter-buffer: release period in microseconds (required, non-zero).
    public var interval: UInt32?

    public init(
        kind: FilterKind,
        id: String,
        netdev: String?,
        queue: FilterQueue = .all,
        status: FilterStatus = .on,
        position: FilterPosition = .tail,
        insert: FilterInsert = .behind,
        indev: String? = nil,
        outdev: String? = nil,
        vnetHeaderSupport: Bool = false,
        file: String? = nil,
        maxlen: UInt32? = nil,
        interval: UInt32? = nil
    ) {
        self.kind = kind
        self.id = id
        self.netdev = netdev
        self.queue = queue
        self.status = status
        self.position = position
        self.insert = insert
        self.indev = indev
        self.outdev = outdev
        self.vnetHeaderSupport = vnetHeaderSupport
        self.file = file
        self.maxlen = maxlen
        self.interval = interval
    }

    public static func mirror(_ id: String, netdev: String, queue: FilterQueue, outdev: String) -> FilterConfiguration {
        FilterConfiguration(kind: .mirror, id: id, netdev: netdev, queue: queue, outdev: outdev)
    }

    public static func redirector(
        _ id: String, netdev: String, queue: FilterQueue, indev: String? = nil, outdev: String? = nil
    ) -> FilterConfiguration {
        FilterConfiguration(kind: .redirector, id: id, netdev: netdev, queue: queue, indev: indev, outdev: outdev)
    }

    public static func rewriter(_ id: String, netdev: String, queue: FilterQueue = .all) -> FilterConfiguration {
        FilterConfiguration(kind: .rewriter, id: id, netdev: netdev, queue: queue)
    }

    /// Whether this kind has the `vnet_hdr_support` property.
    public var hasVnetHeaderProperty: Bool {
        switch kind {
        case .mirror, .redirector, .rewriter: true
        case .buffer, .dump: false
        }
    }

    /// A filter that consumes the frames it is invoked for (R-3, RW-5, B-1): later filters on
    /// the walk never see them directly.
    public var steals: Bool {
        switch kind {
        case .redirector: outdev != nil
        case .rewriter, .buffer: true
        case .mirror, .dump: false
        }
    }

    /// The properties QEMU requires of this filter that are unset, in the order QEMU looks:
    /// `netdev` (F-1.1), then the kind's own (a mirror's outdev, M-2.1; a dump's file; a
    /// buffer's interval).
    public var unsetRequiredProperties: [String] {
        var unset = netdev == nil ? ["netdev"] : []
        switch kind {
        case .mirror where outdev == nil: unset.append("outdev")
        case .dump where file == nil: unset.append("file")
        case .buffer where interval == nil: unset.append("interval")
        default: break
        }
        return unset
    }

    /// The chardevs this filter is a frontend of, with the role each plays.
    public var chardevUses: [(chardev: String, role: ChardevFrontendRole)] {
        var uses: [(chardev: String, role: ChardevFrontendRole)] = []
        switch kind {
        case .mirror:
            if let outdev { uses.append((outdev, .mirrorOutdev(filter: id))) }
        case .redirector:
            if let indev { uses.append((indev, .redirectorIndev(filter: id))) }
            if let outdev { uses.append((outdev, .redirectorOutdev(filter: id))) }
        case .rewriter, .buffer, .dump:
            break
        }
        return uses
    }
}
