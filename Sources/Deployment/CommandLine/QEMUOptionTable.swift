/// The options of `qemu-system-x86_64` the importer recognises, per version, and whether each
/// takes a value. Names are without leading dashes; QEMU accepts `-opt` and `--opt`. The 7.2
/// table was probed against Debian's 7.2 binary (every name answered, none "invalid option");
/// upstream's follows docs/about/removed-features.rst (10.2).
public enum QEMUOptionTable {
    /// Options followed by a value word, in both versions.
    private static let commonWithValue: [String] = [
        "M", "machine", "cpu", "accel", "smp", "numa", "add-fd", "set", "global", "boot", "m",
        "mem-path", "k", "audio", "audiodev", "device", "name", "uuid", "fda", "fdb", "hda", "hdb",
        "hdc", "hdd", "cdrom", "blockdev", "drive", "mtdblock", "sd", "pflash",
        "fsdev", "virtfs", "iscsi", "usbdevice", "display", "spice", "vga", "vnc", "g",
        "acpitable", "smbios", "netdev", "nic", "net", "chardev", "tpmdev", "bios", "kernel",
        "append", "initrd", "dtb", "compat", "fw_cfg", "serial", "parallel", "monitor", "qmp",
        "qmp-pretty", "mon", "debugcon", "pidfile", "gdb", "d", "D", "dfilter", "seed", "L",
        "xen-domid", "action", "loadvm", "option-rom", "rtc", "icount",
        "watchdog-action", "echr", "incoming", "sandbox", "readconfig",
        "trace", "plugin", "msg", "dump-vmstate", "object", "overcommit", "qtest", "qtest-log",
        "semihosting-config", "prom-env",
    ]

    /// Options that stand alone, in both versions.
    private static let commonFlags: [String] = [
        "h", "help", "version", "enable-kvm", "nographic", "S", "s", "snapshot", "daemonize",
        "no-reboot", "no-shutdown", "nodefaults", "no-user-config", "only-migratable",
        "mem-prealloc", "full-screen", "win2k-hack", "no-fd-bootchk", "preconfig", "xen-attach",
        "xen-domid-restrict", "enable-sync-profile", "usb", "semihosting",
    ]

    /// 7.2 has these; upstream removed them (-chroot, -runas and -rotate became -run-with or
    /// were dropped; 9.0 to 10.0).
    private static let only72WithValue = ["rotate", "chroot", "runas"]
    private static let only72Flags = ["portrait", "no-acpi", "no-hpet", "singlestep", "async-teardown", "audio-help"]
    /// Added after 7.2 (8.2).
    private static let upstreamOnlyWithValue = ["run-with"]

    /// Options followed by a value word.
    public static func withValue(_ version: QEMUVersion) -> [String] {
        commonWithValue + (version == .v7_2 ? only72WithValue : upstreamOnlyWithValue)
    }

    /// Options that stand alone.
    public static func flags(_ version: QEMUVersion) -> [String] {
        commonFlags + (version == .v7_2 ? only72Flags : [])
    }

    /// Every recognised option name, values first, in a fixed order (ties in suggestions are
    /// broken by this order).
    public static func allNames(_ version: QEMUVersion) -> [String] {
        withValue(version) + flags(version)
    }

    /// Options other targets have: `qemu-system-x86_64` knows them but stops with "Option not
    /// supported for this target" (-g and -prom-env are for PowerPC and SPARC, semihosting for
    /// Arm and others).
    public static let notForX86: Set<String> = ["g", "prom-env", "semihosting", "semihosting-config"]

    /// Options only a Xen-enabled build takes; Debian's 7.2 is not one (it answers "Option not
    /// supported for this target").
    public static let xenOnly: Set<String> = ["xen-domid", "xen-attach", "xen-domid-restrict"]

    /// Why `version` lacks an option the other version has, for the unknown-option message.
    public static func versionNote(for name: String, in version: QEMUVersion) -> String? {
        switch version {
        case .v7_2 where upstreamOnlyWithValue.contains(name):
            "it is newer than 7.2 (8.2)"
        case .upstream where only72WithValue.contains(name) || only72Flags.contains(name):
            "upstream removed it (7.2 still has it)"
        default:
            nil
        }
    }

    private static let valueSets: [QEMUVersion: Set<String>] = Dictionary(
        uniqueKeysWithValues: QEMUVersion.allCases.map { ($0, Set(withValue($0))) })
    private static let flagSets: [QEMUVersion: Set<String>] = Dictionary(
        uniqueKeysWithValues: QEMUVersion.allCases.map { ($0, Set(flags($0))) })

    public enum Arity: Sendable, Hashable {
        case takesValue
        case flag
        case unknown
    }

    public static func arity(of name: String, in version: QEMUVersion) -> Arity {
        if valueSets[version]?.contains(name) == true { return .takesValue }
        if flagSets[version]?.contains(name) == true { return .flag }
        return .unknown
    }
}
