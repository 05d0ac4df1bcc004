/// The parameters QEMU accepts per netdev type, chardev backend and object type (7.2 and
/// upstream), used to report unknown or misspelt keys. Each list is in a fixed order so that
/// suggestions are deterministic.
enum QEMUParameterCatalog {
    // MARK: netdev

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
            // stream and dgram take dotted address keys (addr.host ...); checked by prefix below.
            return nil
        }
    }

    static func netdevAcceptsDotted(_ kind: NetdevKind, key: String) -> Bool {
        switch kind {
        case .stream:
            ["type", "id", "server", "reconnect", "reconnect-ms"].contains(key) || key.hasPrefix("addr.")
        case .dgram:
            ["type", "id"].contains(key) || key.hasPrefix("local.") || key.hasPrefix("remote.")
        default:
            false
        }
    }

    // MARK: chardev

    static let chardevBackends: [String] = [
        "socket", "file", "pipe", "pty", "stdio", "null", "udp", "ringbuf", "memory", "vc", "serial",
        "tty", "parallel", "parport", "msmouse", "braille", "spicevmc", "spiceport", "testdev",
        "wctablet", "qemu-vdagent", "dbus", "mux",
    ]

    static let chardevCommon = ["backend", "id", "mux", "logfile", "logappend"]

    static let socketChardevParameters: [String] = chardevCommon + [
        "path", "host", "port", "to", "ipv4", "ipv6", "nodelay", "delay", "server", "wait", "telnet",
        "tn3270", "websocket", "reconnect", "reconnect-ms", "tls-creds", "tls-authz", "fd",
        "abstract", "tight",
    ]

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

    /// Object types outside the COLO path that the importer accepts and keeps as they are.
    static let otherObjectTypes: [String] = [
        "memory-backend-ram", "memory-backend-file", "memory-backend-memfd", "memory-backend-epc",
        "rng-random", "rng-builtin", "rng-egd", "secret", "secret_keyring", "tls-creds-x509",
        "tls-creds-psk", "tls-creds-anon", "tls-cipher-suites", "authz-simple", "authz-list",
        "authz-listfile", "authz-pam", "throttle-group", "cryptodev-backend-builtin",
        "cryptodev-backend-lkcf", "cryptodev-vhost-user", "input-linux", "input-barrier", "can-bus",
        "can-host-socketcan", "sev-guest", "sev-snp-guest", "dbus-vmstate", "pr-manager-helper",
        "main-loop", "filter-replay", "x-remote-object", "x-vfio-user-server", "iommufd",
        "acpi-generic-initiator", "thread-context",
    ]

    /// Every object type name, COLO ones first.
    static let objectTypes: [String] =
        FilterKind.allCases.map(\.typeName) + ["colo-compare", "iothread"] + otherObjectTypes
}
