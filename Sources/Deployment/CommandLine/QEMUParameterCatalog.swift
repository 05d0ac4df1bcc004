/// The parameters QEMU accepts per netdev type, chardev backend and object type, per version,
/// used to report unknown or misspelt keys. Each list is in a fixed order so that suggestions
/// are deterministic.
enum QEMUParameterCatalog {
    // MARK: netdev

    /// The backend types each version knows (netmap and vde are known but often not built in).
    static func netdevKinds(_ version: QEMUVersion) -> [NetdevKind] {
        let common: [NetdevKind] = [
            .user, .tap, .bridge, .l2tpv3, .socket, .stream, .dgram, .vde, .vhostUser, .vhostVdpa,
            .hubport, .netmap,
        ]
        return version == .v7_2 ? common : common + [.afXDP, .passt]
    }

    static func netdevParameters(_ kind: NetdevKind) -> [String]? {
        let common = ["type", "id"]
        switch kind {
        case .tap:
            return common + [
                "ifname", "fd", "fds", "script", "downscript", "br", "helper", "sndbuf", "vnet_hdr",
                "vhost", "vhostfd", "vhostfds", "vhostforce", "queues", "poll-us",
            ]
        case .socket:
            return common + ["fd", "listen", "connect", "mcast", "localaddr", "udp"]
        case .hubport:
            return common + ["hubid", "netdev"]
        case .bridge:
            return common + ["br", "helper"]
        case .vhostUser:
            return common + ["chardev", "vhostforce", "queues"]
        case .vhostVdpa:
            return common + ["vhostdev", "vhostfd", "queues", "x-svq"]
        case .l2tpv3:
            return common + [
                "src", "dst", "srcport", "dstport", "ipv6", "udp", "cookie64", "counter", "pincounter",
                "txcookie", "rxcookie", "txsession", "rxsession", "offset",
            ]
        case .vde:
            return common + ["sock", "port", "group", "mode"]
        case .user:
            return common + [
                "ipv4", "ipv6", "net", "host", "ipv6-net", "ipv6-host", "restrict", "hostname",
                "dhcpstart", "dns", "ipv6-dns", "dnssearch", "domainname", "tftp", "tftp-server-name",
                "bootfile", "smb", "smbserver", "hostfwd", "guestfwd", "ipv6-prefix", "ipv6-prefixlen",
            ]
        case .netmap:
            return common + ["ifname", "devname"]
        case .afXDP:
            return common + ["ifname", "mode", "force-copy", "queues", "start-queue", "inhibit", "sock-fds"]
        default:
            // stream and dgram take dotted address keys (addr.host ...): `netdevAcceptsDotted`;
            // passt's keys changed while it was new and are left to QEMU.
            return nil
        }
    }

    static func netdevAcceptsDotted(_ kind: NetdevKind, key: String, version: QEMUVersion) -> Bool {
        switch kind {
        case .stream:
            // `reconnect` came in 8.0 and went in 10.2; `reconnect-ms` came in 9.2.
            ["type", "id", "server"].contains(key) || key.hasPrefix("addr.")
                || (version == .upstream && key == "reconnect-ms")
        case .dgram:
            ["type", "id"].contains(key) || key.hasPrefix("local.") || key.hasPrefix("remote.")
        case .passt:
            true
        default:
            false
        }
    }

    /// Netdev types 7.2 reads with QAPI's keyval parser (and its messages: "Parameter 'x' is
    /// unexpected") rather than QemuOpts ("Invalid parameter 'x'"); JSON is always read so.
    static func netdevIsModern(_ kind: NetdevKind) -> Bool {
        kind == .stream || kind == .dgram
    }

    // MARK: chardev

    static func chardevBackends(_ version: QEMUVersion) -> [String] {
        let common = [
            "socket", "file", "pipe", "pty", "stdio", "null", "udp", "ringbuf", "memory", "vc", "serial",
            "parallel", "msmouse", "braille", "spicevmc", "spiceport", "testdev", "wctablet",
            "qemu-vdagent", "dbus", "mux",
        ]
        // 7.2 still accepts the aliases, with a deprecation warning; 8.0 removed them.
        return version == .v7_2 ? common + ["tty", "parport"] : common
    }

    /// A deprecated backend alias and its replacement (7.2 warns).
    static let chardevAliases = ["tty": "serial", "parport": "parallel"]

    static let chardevCommon = ["backend", "id", "mux", "logfile", "logappend"]

    static func socketChardevParameters(_ version: QEMUVersion) -> [String] {
        chardevCommon + [
            "path", "host", "port", "to", "ipv4", "ipv6", "nodelay", "delay", "server", "wait", "telnet",
            "tn3270", "websocket", version == .v7_2 ? "reconnect" : "reconnect-ms", "tls-creds",
            "tls-authz", "fd", "abstract", "tight",
        ]
    }

    // MARK: objects

    static let filterCommon = ["qom-type", "id", "netdev", "queue", "status", "position", "insert"]

    static func filterParameters(_ kind: FilterKind) -> [String] {
        switch kind {
        case .mirror: filterCommon + ["outdev", "vnet_hdr_support"]
        case .redirector: filterCommon + ["indev", "outdev", "vnet_hdr_support"]
        case .rewriter: filterCommon + ["vnet_hdr_support"]
        case .buffer: filterCommon + ["interval"]
        case .dump: filterCommon + ["file", "maxlen"]
        }
    }

    static let compareParameters: [String] = [
        "qom-type", "id", "primary_in", "secondary_in", "outdev", "iothread", "notify_dev",
        "compare_timeout", "expired_scan_cycle", "max_queue_size", "vnet_hdr_support",
    ]

    static let iothreadParameters: [String] = [
        "qom-type", "id", "poll-max-ns", "poll-grow", "poll-shrink", "aio-max-batch",
        "thread-pool-min", "thread-pool-max",
    ]

    /// Object types outside the COLO path, in both versions, accepted and kept as they are.
    private static let commonObjectTypes: [String] = [
        "memory-backend-ram", "memory-backend-file", "memory-backend-memfd", "rng-random",
        "rng-builtin", "rng-egd", "secret", "secret_keyring", "tls-creds-x509", "tls-creds-psk",
        "tls-creds-anon", "tls-cipher-suites", "authz-simple", "authz-list", "throttle-group",
        "cryptodev-backend-builtin", "cryptodev-vhost-user", "input-linux", "input-barrier",
        "can-bus", "can-host-socketcan", "sev-guest", "dbus-vmstate", "pr-manager-helper",
        "main-loop", "filter-replay", "x-remote-object", "x-vfio-user-server", "thread-context",
        "memory-backend-epc", "authz-listfile", "authz-pam", "cryptodev-backend-lkcf",
    ]

    /// Newer than 7.2 (8.0 to 10.1).
    private static let upstreamOnlyObjectTypes: [String] = [
        "iommufd", "sev-snp-guest", "acpi-generic-initiator",
        "acpi-generic-port", "memory-backend-shm", "tdx-guest", "igvm-cfg",
    ]

    /// In 7.2's schema, but only in builds with an optional library or feature (SGX, a
    /// listfile or PAM authoriser, the kernel crypto API); Debian's 7.2 lacks them and says
    /// "invalid object type".
    static let buildDependentObjectTypes: Set<String> = ["memory-backend-epc", "authz-listfile", "authz-pam", "cryptodev-backend-lkcf"]

    /// Object types outside the COLO path that `version` knows.
    static func otherObjectTypes(_ version: QEMUVersion) -> [String] {
        version == .v7_2 ? commonObjectTypes : commonObjectTypes + upstreamOnlyObjectTypes
    }

    /// Every object type name `version` knows, COLO ones first.
    static func objectTypes(_ version: QEMUVersion) -> [String] {
        FilterKind.allCases.map(\.typeName) + ["colo-compare", "iothread"] + otherObjectTypes(version)
    }

    /// Whether the other version knows a type this one does not (for the message).
    static func isNewerObjectType(_ name: String) -> Bool {
        upstreamOnlyObjectTypes.contains(name)
    }
}
