@testable import Deployment

extension LintVariantCatalog {
    /// Plausible values for options outside the network path; options that would make QEMU
    /// wait, daemonise, open files or exit at once are left out.
    private static let optionValues: [String: String] = [
        "M": "pc", "machine": "pc", "cpu": "qemu64", "accel": "tcg", "smp": "1", "boot": "c", "m": "64",
        "k": "en-us", "audio": "driver=none,model=ac97", "audiodev": "none,id=snd0", "name": "guest0",
        "uuid": "12345678-1234-1234-1234-123456789abc", "display": "none", "vga": "none", "vnc": "none",
        "global": "e1000.autonegotiation=on", "rtc": "base=utc", "icount": "shift=auto",
        "watchdog-action": "none", "action": "panic=none", "msg": "timestamp=on", "overcommit": "mem-lock=off",
        "sandbox": "off", "compat": "deprecated-input=accept", "d": "guest_errors", "dfilter": "0x0..0x100",
        "seed": "1", "trace": "colo_*", "echr": "1", "g": "800x600", "prom-env": "x=y",
        "semihosting-config": "enable=on", "L": "/usr/share/qemu", "smbios": "type=0,vendor=x",
        "serial": "none", "parallel": "none", "monitor": "none", "usbdevice": "tablet", "rotate": "90",
        "mem-path": "/tmp", "tpmdev": "passthrough,id=tpm0", "fw_cfg": "name=opt/x,string=y",
        "xen-domid": "1", "qmp-pretty": "unix:qmp-pretty.sock,server=on,wait=off", "qmp": "unix:qmp-extra.sock,server=on,wait=off", "debugcon": "null", "pidfile": "qemu.pid", "D": "qemu.log",
        "option-rom": "x.rom", "plugin": "x.so", "dump-vmstate": "vmstate.json",
        "iscsi": "initiator-name=iqn.2001-04.com.example:x", "spice": "port=5930",
        "run-with": "async-teardown=on", "watchdog": "i6300esb",
    ]

    /// Options the table does not try: they exit at once, fork, wait for input, or load files
    /// that do not exist here.
    private static let skippedOptions: Set<String> = [
        "h", "help", "version", "audio-help", "daemonize", "runas", "chroot", "incoming", "qtest", "qtest-log",
        "loadvm", "readconfig", "nographic", "enable-kvm", "kernel", "initrd", "append", "dtb", "bios", "drive",
        "blockdev", "hda", "hdb", "hdc", "hdd", "fda", "fdb", "cdrom", "mtdblock", "sd", "pflash", "fsdev",
        "virtfs", "add-fd", "set", "netdev", "chardev", "object", "nic", "net", "device", "acpitable",
        "xen-attach", "xen-domid-restrict", "mem-prealloc", "gdb", "s", "preconfig", "full-screen", "portrait",
        "mon", "usb", "spice", "numa", "tpmdev", "plugin", "option-rom", "mem-path", "dump-vmstate",
    ]

    /// Every option of both versions' tables (7.2 refuses the upstream-only ones) and those
    /// upstream and 7.2 removed, plus misspellings.
    mutating func addOptionFamilies() {
        let removed = ["alt-grab", "ctrl-grab", "no-quit", "sdl", "curses"]
        var names = QEMUOptionTable.allNames(.v7_2)
        for name in QEMUOptionTable.allNames(.upstream) + ["watchdog"] + removed where !names.contains(name) {
            names.append(name)
        }
        for name in names where !Self.skippedOptions.contains(name) {
            let takesValue = QEMUOptionTable.arity(of: name, in: .v7_2) == .takesValue
                || QEMUOptionTable.arity(of: name, in: .upstream) == .takesValue
                || Self.optionValues[name] != nil
            if takesValue {
                let value = Self.optionValues[name] ?? "x"
                append("option-table", "-\(name) \(value)", .primary, [("-" + name, value)])
            } else {
                append("option-table", "-\(name)", .primary, [("-" + name, nil)])
            }
        }
        for typo in ["-nodefault", "-enable-kvmm"] {
            append("option-typo", typo, .primary, [(typo, nil)])
        }
        for (typo, id) in [("-netdevv", "hn0"), ("-chardv", "mirror0"), ("-objet", "m0"), ("-devic", "e0"), ("--object-x", "m0")] {
            edit("option-typo", typo, .primary) { list in list.items[list.index(of: id)].option = typo }
        }
        edit("option-typo", "--netdev (double dash)", .primary) { list in list.items[list.index(of: "hn0")].option = "--netdev" }
    }

    /// Netdev, device and object types, and their keys.
    mutating func addTypeFamilies() {
        let noPeer = "vde, vhost-vdpa, bridge and netmap need a daemon, a device or a build option this machine lacks"
        let extraNetdevs: [(String, String, String?)] = [
            ("stream server", "stream,id=st0,server=on,addr.type=inet,addr.host=127.0.0.1,addr.port=9100", nil),
            ("stream client reconnect=1", "stream,id=st0,server=off,addr.type=inet,addr.host=127.0.0.1,addr.port=9100,reconnect=1", nil),
            ("stream client reconnect-ms=1000", "stream,id=st0,server=off,addr.type=inet,addr.host=127.0.0.1,addr.port=9100,reconnect-ms=1000", nil),
            ("stream unix server", "stream,id=st0,server=on,addr.type=unix,addr.path=/tmp/st0.sock", nil),
            ("dgram", "dgram,id=dg0,local.type=inet,local.host=127.0.0.1,local.port=9200,remote.type=inet,remote.host=127.0.0.1,remote.port=9201", nil),
            ("af-xdp", "af-xdp,id=x0,ifname=lo", nil),
            ("user", "user,id=x0", nil),
            ("hubport", "hubport,id=x0,hubid=0", nil),
            ("hubport without hubid", "hubport,id=x0", nil),
            ("socket listen", "socket,id=x0,listen=127.0.0.1:9300", nil),
            ("l2tpv3", "l2tpv3,id=x0,src=127.0.0.1,dst=127.0.0.1,udp=on,srcport=1701,dstport=1702,txsession=1,rxsession=1", nil),
            ("vhost-user without chardev", "vhost-user,id=x0", nil),
            ("tapp (typo)", "tapp,id=x0", nil),
            ("vde", "vde,id=x0,sock=/tmp/vde.ctl", noPeer),
            ("vhost-vdpa", "vhost-vdpa,id=x0,vhostdev=/dev/vhost-vdpa-0", noPeer),
            ("bridge", "bridge,id=x0,br=br0", noPeer),
            ("netmap", "netmap,id=x0,ifname=vale0:1", noPeer),
        ]
        for (name, value, environment) in extraNetdevs {
            append("netdev-type", "extra -netdev \(name)", .primary, environment: environment, [("-netdev", value)])
        }
        edit("netdev-type", "P hn0 tap -> user", .primary) { $0.edit("hn0") { _ in "user,id=hn0" } }
        edit("netdev-type", "P hn0 tap -> hubport", .primary) { $0.edit("hn0") { _ in "hubport,id=hn0,hubid=0" } }
        edit("netdev-type", "P hn0 tap -> socket", .primary) { $0.edit("hn0") { _ in "socket,id=hn0,listen=127.0.0.1:9300" } }
        edit("netdev-type", "S hn0 tap -> stream reconnect=1", .secondary) {
            $0.edit("hn0") { _ in "stream,id=hn0,server=off,addr.type=inet,addr.host=127.0.0.1,addr.port=9300,reconnect=1" }
        }
        let tapKeys: [(String, String, String?)] = [
            ("vnet_hdr", "on", nil), ("vnet_hdr", "off", nil), ("queues", "2", nil), ("queues", "1", nil), ("queues", "0", nil),
            ("queues", "-1", nil), ("queues", "two", nil), ("queues", "0x10", nil), ("poll-us", "10", nil),
            ("sndbuf", "1048576", nil), ("ifname", "ltap0", nil), ("vhostforce", "on", nil), ("fd", "99", nil),
            ("br", "br0", nil), ("downscrpt", "/etc/qemu-ifdown", nil), ("script", "no", nil), ("downscript", "no", nil),
            ("vhost", "onn", nil), ("vnet_hdr", "maybe", nil),
            ("vhost", "on", "vhost=on needs /dev/vhost-net, which this machine lacks (7.2 then aborts)"),
        ]
        for (key, value, environment) in tapKeys {
            edit("netdev-key", "P hn0 \(key)=\(value)", .primary, environment: environment) { $0.set("hn0", key, value) }
        }
        edit("netdev-key", "P hn0 without script and downscript", .primary) { list in
            list.set("hn0", "script", nil)
            list.set("hn0", "downscript", nil)
        }
        edit("netdev-key", "S hn0 'down script=' split by a space", .secondary) { list in
            let position = list.index(of: "hn0")
            list.items[position].value = list.items[position].value?.replacing(",downscript=/etc/qemu-ifdown", with: ",down")
            list.items.insert(OptionList.Item(option: "script=/etc/qemu-ifdown", value: nil), at: position + 1)
        }
        addDeviceFamily()
        addObjectFamily()
    }

    private mutating func addDeviceFamily() {
        for model in ["e1001", "virtio-net-pci", "rtl8139", "e1000e", "vmxnet3", "ne2k_pci", "i82559er", "pcnet",
                      "usb-net", "virtio-net-device", "nonexistent-nic", "e1000-82545em", "igb"] {
            edit("device-model", "P e0 model=\(model)", .primary) { list in
                list.edit("e0") { value in model + value.drop { $0 != "," } }
            }
        }
        append("device-model", "extra -device frobnicator", .primary, [("-device", "frobnicator")])
        append("device-model", "extra -device virtio-rng-pci", .primary, [("-device", "virtio-rng-pci")])
        append("device-model", "usb-net with a USB controller", .primary, [("-device", "qemu-xhci"), ("-device", "usb-net,netdev=spare"), ("-netdev", "user,id=spare")])
        for (key, value) in [("mca", "52:a4:00:12:78:66"), ("netdv", "hn0"), ("foo", "1"), ("mac", "52:a4:00:12:78"),
                             ("mac", "zz:a4:00:12:78:66"), ("mac", "52-a4-00-12-78-66"), ("romfile", ""), ("bootindex", "1"),
                             ("addr", "0x5"), ("id", "1e0"), ("netdev", "hn9"), ("netdev", "")] {
            setKey("device-key", .primary, "e0", key, value)
        }
        edit("device-key", "P e0 without netdev", .primary) { $0.set("e0", "netdev", nil) }
        edit("device-key", "P duplicate device id e0", .primary) { list in
            list.items.insert(OptionList.Item(option: "-device", value: "e1000,id=e0,netdev=hn0,mac=52:a4:00:12:78:67"), at: 2)
        }
        edit("device-key", "P second NIC on hn0", .primary) { list in
            list.items.insert(OptionList.Item(option: "-device", value: "e1000,netdev=hn0,mac=52:a4:00:12:78:67"), at: 2)
        }
    }

    private mutating func addObjectFamily() {
        let types: [(String, String)] = [
            ("memory-backend-ram", "size=1M"), ("memory-backend-memfd", "size=1M"), ("memory-backend-epc", "size=1M"),
            ("rng-random", "filename=/dev/urandom"), ("rng-builtin", ""), ("secret", "data=abc"),
            ("tls-creds-anon", "endpoint=server"), ("authz-simple", "identity=x"), ("authz-listfile", "filename=/tmp/x.json"),
            ("authz-pam", "service=x"), ("throttle-group", "x-iops-total=10"), ("cryptodev-backend-builtin", ""),
            ("cryptodev-backend-lkcf", ""), ("can-bus", ""), ("sev-snp-guest", "cbitpos=47,reduced-phys-bits=1"),
            ("main-loop", ""), ("iommufd", ""), ("acpi-generic-initiator", "pci-dev=x,node=0"), ("thread-context", ""),
            ("colo-compar", ""), ("filter-mirrror", "netdev=hn0,outdev=mirror0"),
        ]
        for (type, extra) in types {
            append("object-type", "extra -object \(type)", .primary, [("-object", "\(type),id=o1" + (extra.isEmpty ? "" : "," + extra))])
        }
        for (key, value) in [("thread-pool-min", "1"), ("thread-pool-max", "4"), ("aio-max-batch", "1"), ("poll-max-ns", "0"),
                             ("poll-grow", "2"), ("poll-shrink", "2"), ("poll-max-nss", "1")] {
            setKey("iothread-key", .primary, "iothread", key, value)
        }
    }
}
