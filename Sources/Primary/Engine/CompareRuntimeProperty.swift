/// A numeric colo-compare property (§7.1). QEMU's setter for each runs when the object is given
/// its properties and again when `qom-set` changes one on a running compare.
public enum CompareRuntimeProperty: String, Sendable, Hashable, CaseIterable {
    case compareTimeout = "compare_timeout"
    case expiredScanCycle = "expired_scan_cycle"
    case maxQueueSize = "max_queue_size"

    /// QEMU's setter: the 32-bit value it stores, or why it refuses `value`. `compare_timeout`
    /// (advertised as uint64) and `expired_scan_cycle` are parsed as 32-bit numbers;
    /// `max_queue_size` is parsed as 64 bits and truncated, so 2^32 passes and stores 0. All three
    /// refuse 0.
    public func validated(_ value: UInt64) throws(COLOComparePropertyError) -> UInt32 {
        switch self {
        case .compareTimeout, .expiredScanCycle:
            guard value <= UInt64(UInt32.max) else { throw .outOfRange(property: rawValue, value: value) }
            guard value != 0 else { throw .requiresPositiveValue(property: rawValue) }
            return UInt32(value)
        case .maxQueueSize:
            guard value != 0 else { throw .requiresPositiveValue(property: rawValue) }
            return UInt32(truncatingIfNeeded: value)
        }
    }
}
