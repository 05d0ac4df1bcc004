/// The colo-compare object's properties as QEMU exposes them (§7.1), before completion.
///
/// Unset numeric properties hold 0; completion replaces 0 by the default (C-1.3). The setters
/// reproduce QEMU's parsing: `compare_timeout` and `expired_scan_cycle` accept 32-bit values
/// only and reject 0. `max_queue_size` lives on the `CompareProcess` (it is process-global);
/// `maxQueueSize` here is applied to the process when the properties are set on an object,
/// which in QEMU happens before completion — so it sticks even if completion fails (C-2).
public struct COLOCompareProperties: Sendable, Hashable {
    public var primaryIn: String?
    public var secondaryIn: String?
    public var outdev: String?
    public var iothread: String?
    /// Xen COLO only.
    public var notifyDev: String?
    public var vnetHeaderSupport = false
    public private(set) var compareTimeout: UInt32 = 0
    public private(set) var expiredScanCycle: UInt32 = 0
    /// Set through `setMaxQueueSize` (as stored: truncated to 32 bits); applied to the process
    /// by completion.
    public private(set) var maxQueueSize: UInt32?

    public init(primaryIn: String? = nil, secondaryIn: String? = nil, outdev: String? = nil,
                iothread: String? = nil, notifyDev: String? = nil, vnetHeaderSupport: Bool = false) {
        self.primaryIn = primaryIn
        self.secondaryIn = secondaryIn
        self.outdev = outdev
        self.iothread = iothread
        self.notifyDev = notifyDev
        self.vnetHeaderSupport = vnetHeaderSupport
    }

    /// `compare_timeout` (ms): advertised as uint64 but parsed as uint32.
    public mutating func setCompareTimeout(_ value: UInt64) throws(COLOComparePropertyError) {
        compareTimeout = try CompareRuntimeProperty.compareTimeout.validated(value)
    }

    /// `expired_scan_cycle` (ms).
    public mutating func setExpiredScanCycle(_ value: UInt64) throws(COLOComparePropertyError) {
        expiredScanCycle = try CompareRuntimeProperty.expiredScanCycle.validated(value)
    }

    /// `max_queue_size`: validated now (0 rejected), stored into the process at completion.
    public mutating func setMaxQueueSize(_ value: UInt64) throws(COLOComparePropertyError) {
        maxQueueSize = try CompareRuntimeProperty.maxQueueSize.validated(value)
    }

    /// The setter of `property`.
    public mutating func set(_ property: CompareRuntimeProperty, to value: UInt64) throws(COLOComparePropertyError) {
        switch property {
        case .compareTimeout: try setCompareTimeout(value)
        case .expiredScanCycle: try setExpiredScanCycle(value)
        case .maxQueueSize: try setMaxQueueSize(value)
        }
    }
}

/// A property setter refused its value.
public enum COLOComparePropertyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The value 0 (QEMU: the property "requires a positive value").
    case requiresPositiveValue(property: String)
    /// Above what the 32-bit parser accepts.
    case outOfRange(property: String, value: UInt64)

    public var description: String {
        switch self {
        case .requiresPositiveValue(let property): "colo-compare property '\(property)' requires a positive value"
        case .outOfRange(let property, let value): "colo-compare property '\(property)': \(value) is out of range for a 32-bit value"
        }
    }
}

/// What completion needs to know about a chardev (C-1.4).
public struct CompareChardev: Sendable, Hashable {
    /// The chardev supports reconnection (a socket chardev does; `file` does not).
    public var reconnectable: Bool
    /// The chardev can run in a non-default main context (the compare's iothread).
    public var switchesContext: Bool
    /// A frontend is already attached: a second attach fails ("device busy").
    public var attached: Bool

    public init(reconnectable: Bool = true, switchesContext: Bool = true, attached: Bool = false) {
        self.reconnectable = reconnectable
        self.switchesContext = switchesContext
        self.attached = attached
    }

    /// A socket chardev with nothing attached: what the documented topology uses.
    public static let socket = CompareChardev()
    /// A `file` chardev: neither reconnectable nor context-switchable.
    public static let file = CompareChardev(reconnectable: false, switchesContext: false)
}

/// The chardevs of one emulated process, by id. Completion attaches the compare's chardevs
/// here and, like QEMU, does not detach them if a later step fails (C-2).
public struct CompareChardevInventory: Sendable, Hashable {
    public private(set) var devices: [String: CompareChardev]

    public init(_ devices: [String: CompareChardev] = [:]) {
        self.devices = devices
    }

    public subscript(id: String) -> CompareChardev? {
        get { devices[id] }
        set { devices[id] = newValue }
    }

    /// find_and_check_chardev then frontend init, in QEMU's order.
    mutating func attach(_ id: String) throws(COLOCompareSetupError) {
        guard var device = devices[id] else { throw .chardevNotFound(id) }
        guard device.reconnectable else { throw .chardevNotReconnectable(id) }
        guard device.switchesContext else { throw .chardevCannotSwitchContext(id) }
        guard !device.attached else { throw .chardevBusy(id) }
        device.attached = true
        devices[id] = device
    }
}

/// Completion refused the object (C-1), in the order QEMU checks.
public enum COLOCompareSetupError: Error, Sendable, Hashable, CustomStringConvertible {
    /// C-1.1: one error naming all four required properties.
    case missingRequiredProperties
    /// C-1.2: primary_in, secondary_in and outdev must be three different chardevs.
    case inputsAndOutputMustDiffer
    /// C-1.4 / C-1.6.
    case chardevNotFound(String)
    case chardevNotReconnectable(String)
    case chardevCannotSwitchContext(String)
    case chardevBusy(String)

    public var description: String {
        switch self {
        case .missingRequiredProperties: "colo-compare needs the properties primary_in, secondary_in, outdev and iothread"
        case .inputsAndOutputMustDiffer: "colo-compare: primary_in, secondary_in and outdev must be different chardevs"
        case .chardevNotFound(let id): "chardev '\(id)' not found"
        case .chardevNotReconnectable(let id): "chardev '\(id)' does not support reconnection"
        case .chardevCannotSwitchContext(let id): "chardev '\(id)' cannot run in the compare's iothread context"
        case .chardevBusy(let id): "chardev '\(id)' is already in use"
        }
    }
}
