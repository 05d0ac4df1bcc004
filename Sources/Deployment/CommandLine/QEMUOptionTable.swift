/// The options of `qemu-system-x86_64` (7.2 and upstream) the importer recognises, and whether
/// each takes a value. Names are without leading dashes; QEMU accepts `-opt` and `--opt`.
public enum QEMUOptionTable {
    /// Options followed by a value word.
    public static let withValue: [String] = [
        "M", "machine", "cpu", "accel", "smp", "numa", "add-fd", "set", "global", "boot", "m",
        "mem-path", "k", "audio", "audiodev", "device", "name", "uuid", "fda", "fdb", "hda", "hdb",
        "hdc", "hdd", "cdrom", "blockdev", "drive", "mtdblock", "sd", "pflash", "snapshot-file",
        "fsdev", "virtfs", "iscsi", "usbdevice", "display", "spice", "rotate", "vga", "vnc", "g",
        "acpitable", "smbios", "netdev", "nic", "net", "chardev", "tpmdev", "bios", "kernel",
        "append", "initrd", "dtb", "compat", "fw_cfg", "serial", "parallel", "monitor", "qmp",
        "qmp-pretty", "mon", "debugcon", "pidfile", "gdb", "d", "D", "dfilter", "seed", "L",
        "xen-domid", "action", "loadvm", "option-rom", "rtc", "icount", "watchdog",
        "watchdog-action", "echr", "incoming", "chroot", "runas", "sandbox", "readconfig",
        "trace", "plugin", "msg", "dump-vmstate", "object", "overcommit", "qtest", "qtest-log",
        "run-with", "semihosting-config", "prom-env",
    ]

    /// Options that stand alone.
    public static let flags: [String] = [
        "h", "help", "version", "enable-kvm", "nographic", "S", "s", "snapshot", "daemonize",
        "no-reboot", "no-shutdown", "nodefaults", "no-user-config", "only-migratable",
        "mem-prealloc", "full-screen", "portrait", "no-acpi", "no-hpet", "win2k-hack",
        "no-fd-bootchk", "singlestep", "preconfig", "xen-attach", "xen-domid-restrict",
        "enable-sync-profile", "async-teardown", "audio-help", "usb", "alt-grab", "ctrl-grab",
        "no-quit", "sdl", "curses", "semihosting",
    ]

    /// Every recognised option name, values first, in a fixed order (ties in suggestions are
    /// broken by this order).
    public static let allNames: [String] = withValue + flags

    private static let valueSet = Set(withValue)
    private static let flagSet = Set(flags)

    public enum Arity: Sendable, Hashable {
        case takesValue
        case flag
        case unknown
    }

    public static func arity(of name: String) -> Arity {
        if valueSet.contains(name) { return .takesValue }
        if flagSet.contains(name) { return .flag }
        return .unknown
    }
}
