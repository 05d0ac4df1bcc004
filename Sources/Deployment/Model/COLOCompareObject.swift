import Primary

/// One `-object colo-compare` (§7.1) as written: a tunable may hold a value QEMU's setter
/// refuses, so that the lint can report it and the command line exports unchanged. What QEMU
/// makes of it is `properties()`. Tunables left nil take QEMU's defaults.
public struct COLOCompareObject: Sendable, Hashable {
    public var id: String
    public var primaryIn: String?
    public var secondaryIn: String?
    public var outdev: String?
    /// Id of the iothread object the compare runs in; required (C-1.1, L-12).
    public var iothread: String?
    /// Xen COLO only: chardev for checkpoint requests and notifications (C-26).
    public var notifyDev: String?
    /// Milliseconds; nil means 3000. Zero is refused upstream.
    public var compareTimeout: UInt32?
    /// Milliseconds; nil means 1000. Zero is refused upstream.
    public var expiredScanCycle: UInt32?
    /// Packets per queue; nil means 1024. Process-global in QEMU. Zero is refused upstream.
    public var maxQueueSize: UInt32?
    public var vnetHeaderSupport: Bool

    public init(
        id: String,
        primaryIn: String?,
        secondaryIn: String?,
        outdev: String?,
        iothread: String?,
        notifyDev: String? = nil,
        compareTimeout: UInt32? = nil,
        expiredScanCycle: UInt32? = nil,
        maxQueueSize: UInt32? = nil,
        vnetHeaderSupport: Bool = false
    ) {
        self.id = id
        self.primaryIn = primaryIn
        self.secondaryIn = secondaryIn
        self.outdev = outdev
        self.iothread = iothread
        self.notifyDev = notifyDev
        self.compareTimeout = compareTimeout
        self.expiredScanCycle = expiredScanCycle
        self.maxQueueSize = maxQueueSize
        self.vnetHeaderSupport = vnetHeaderSupport
    }

    /// The chardevs this compare is a frontend of, in the order QEMU attaches them (C-1.4, C-1.6).
    public var chardevUses: [(chardev: String, role: ChardevFrontendRole)] {
        var uses: [(chardev: String, role: ChardevFrontendRole)] = []
        if let primaryIn { uses.append((primaryIn, .comparePrimaryIn(compare: id))) }
        if let secondaryIn { uses.append((secondaryIn, .compareSecondaryIn(compare: id))) }
        if let outdev { uses.append((outdev, .compareOutdev(compare: id))) }
        if let notifyDev { uses.append((notifyDev, .compareNotifyDev(compare: id))) }
        return uses
    }

    /// The numeric properties as written, in the order QEMU's setters are run here.
    public var tunables: [(property: CompareRuntimeProperty, value: UInt32?)] {
        [(.compareTimeout, compareTimeout), (.expiredScanCycle, expiredScanCycle), (.maxQueueSize, maxQueueSize)]
    }

    /// The links and flags, before any tunable is set: what completion's own checks look at
    /// (C-1.1, C-1.2).
    public var links: COLOCompareProperties {
        COLOCompareProperties(primaryIn: primaryIn, secondaryIn: secondaryIn, outdev: outdev, iothread: iothread,
                              notifyDev: notifyDev, vnetHeaderSupport: vnetHeaderSupport)
    }

    /// The object once QEMU's setters have run on every written tunable; the first refusal throws.
    public func properties() throws(COLOComparePropertyError) -> COLOCompareProperties {
        var properties = links
        for (property, value) in tunables {
            if let value { try properties.set(property, to: UInt64(value)) }
        }
        return properties
    }
}
