/// The properties QEMU lets `qom-set` change on a running colo-compare: their setters only
/// store the value, which the compare reads again where it uses it — `compare_timeout` at the
/// next scan, `expired_scan_cycle` when the scan timer is next re-armed (C-19), and
/// `max_queue_size` (process-global) at the next insertion (C-6).
extension COLOCompare {
    /// `compare_timeout` (ms), parsed as QEMU does (32-bit, 0 refused).
    public mutating func setCompareTimeout(_ value: UInt64) throws(COLOComparePropertyError) {
        configuration.compareTimeoutMs = try CompareRuntimeProperty.compareTimeout.validated(value)
    }

    /// `expired_scan_cycle` (ms): the deadline already armed stands; the next one uses it.
    public mutating func setExpiredScanCycle(_ value: UInt64) throws(COLOComparePropertyError) {
        configuration.expiredScanCycleMs = try CompareRuntimeProperty.expiredScanCycle.validated(value)
    }
}
