import Fabric

extension COLOCompare {
    /// What the engine is built with: QEMU's properties resolved to values, the profile, and the
    /// deliberate bug it is to have, if any.
    public struct Configuration: Sendable, Hashable {
        /// `compare_timeout` (ms); 0 means the default, 3000.
        public var compareTimeoutMs: UInt32
        /// `expired_scan_cycle` (ms); 0 means the default, 1000.
        public var expiredScanCycleMs: UInt32
        /// `vnet_hdr_support`: records on primary_in, secondary_in, outdev and *inbound* notify_dev
        /// carry the V field (W-1, W-4).
        public var vnetHeaderSupport: Bool
        /// Whether `notify_dev` is set (Xen COLO, C-18, C-26).
        public var hasNotifyDev: Bool
        public var profile: CompareProfile
        /// A deliberate bug for the fuzzer's self-test (`lockstep fuzz --mutant`); nil otherwise.
        public var mutant: EngineMutant?
        /// P-5's threshold (QEMU: 16 384). Adjustable so tests can reach it cheaply.
        public var connectionTableResetThreshold: Int

        public static let defaultCompareTimeoutMs: UInt32 = 3000
        public static let defaultExpiredScanCycleMs: UInt32 = 1000

        public init(compareTimeoutMs: UInt32 = defaultCompareTimeoutMs,
                    expiredScanCycleMs: UInt32 = defaultExpiredScanCycleMs,
                    vnetHeaderSupport: Bool = false, hasNotifyDev: Bool = false,
                    profile: CompareProfile = .upstream, mutant: EngineMutant? = nil,
                    connectionTableResetThreshold: Int = ConnectionTable<Int>.defaultResetThreshold) {
            self.compareTimeoutMs = compareTimeoutMs == 0 ? Configuration.defaultCompareTimeoutMs : compareTimeoutMs
            self.expiredScanCycleMs = expiredScanCycleMs == 0 ? Configuration.defaultExpiredScanCycleMs : expiredScanCycleMs
            self.vnetHeaderSupport = vnetHeaderSupport
            self.hasNotifyDev = hasNotifyDev
            self.profile = profile
            self.mutant = mutant
            self.connectionTableResetThreshold = connectionTableResetThreshold
        }

        /// The settings a compare with these properties runs with; unset tunables take QEMU's
        /// defaults (C-1.3).
        public init(_ properties: COLOCompareProperties, profile: CompareProfile, mutant: EngineMutant? = nil) {
            self.init(compareTimeoutMs: properties.compareTimeout, expiredScanCycleMs: properties.expiredScanCycle,
                      vnetHeaderSupport: properties.vnetHeaderSupport, hasNotifyDev: properties.notifyDev != nil,
                      profile: profile, mutant: mutant)
        }
    }
}
