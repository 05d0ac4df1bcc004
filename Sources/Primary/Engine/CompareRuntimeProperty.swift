/// A colo-compare property QEMU lets `qom-set` change while the compare runs.
public enum CompareRuntimeProperty: String, Sendable, Hashable, CaseIterable {
    case compareTimeout = "compare_timeout"
    case expiredScanCycle = "expired_scan_cycle"
    case maxQueueSize = "max_queue_size"
}
