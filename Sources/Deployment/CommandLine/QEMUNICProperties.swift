/// The properties of 7.2's network card models (`-device MODEL,help` of Debian's 7.2 binary),
/// so that a misspelt or unknown NIC property is reported as QEMU does: "Property
/// 'e1000.foo' not found". Models not listed here are not checked.
enum QEMUNICProperties {
    /// Keys `-device` itself takes before the model's properties.
    static let deviceKeys = ["driver", "id", "bus"]

    private static let pci = [
        "acpi-index", "addr", "bootindex", "failover_pair_id", "mac", "multifunction", "netdev",
        "rombar", "romfile", "romsize", "x-pcie-extcap-init", "x-pcie-lnksta-dllla",
    ]

    private static let e1000 = pci + ["autonegotiation", "extra_mac_registers", "init-vet", "migrate_tso_props", "mitigation"]

    private static let virtio = [
        "any_layout", "bootindex", "csum", "ctrl_guest_offloads", "ctrl_mac_addr", "ctrl_rx",
        "ctrl_rx_extra", "ctrl_vlan", "ctrl_vq", "duplex", "event_idx", "failover", "gso",
        "guest_announce", "guest_csum", "guest_ecn", "guest_rsc_ext", "guest_tso4", "guest_tso6",
        "guest_ufo", "hash", "host_ecn", "host_mtu", "host_tso4", "host_tso6", "host_ufo",
        "indirect_desc", "iommu_platform", "mac", "mq", "mrg_rxbuf", "netdev", "notify_on_empty",
        "packed", "queue_reset", "rsc_interval", "rss", "rx_queue_size", "speed", "status", "tx",
        "tx_queue_size", "use-disabled-flag", "use-started", "x-disable-legacy-check",
        "x-mtu-bypass-backend", "x-txburst", "x-txtimer",
    ]

    private static let virtioPCI = virtio + pci + [
        "aer", "ats", "ioeventfd", "migrate-extra", "modern-pio-notify", "page-per-vq", "vectors",
        "virtio-backend", "virtio-pci-bus-master-bug-migration", "x-ats-page-aligned",
        "x-disable-pcie", "x-ignore-backend-features", "x-pcie-deverr-init", "x-pcie-flr-init",
        "x-pcie-lnkctl-init", "x-pcie-pm-init",
    ]

    private static let table: [String: [String]] = {
        var table: [String: [String]] = [:]
        for model in ["e1000", "e1000-82544gc", "e1000-82545em"] { table[model] = e1000 }
        table["e1000e"] = pci + ["disable_vnet_hdr", "init-vet", "subsys", "subsys_ven"]
        for model in ["rtl8139", "ne2k_pci", "pcnet", "tulip", "i82550", "i82551", "i82557a", "i82557b",
                      "i82557c", "i82558a", "i82558b", "i82559a", "i82559b", "i82559c", "i82559er",
                      "i82562", "i82801"] {
            table[model] = pci
        }
        table["vmxnet3"] = pci + ["x-disable-pcie", "x-old-msi-offsets"]
        table["ne2k_isa"] = ["bootindex", "iobase", "irq", "mac", "netdev"]
        table["usb-net"] = ["attached", "bootindex", "mac", "msos-desc", "netdev", "pcap", "port", "serial"]
        table["virtio-net-pci"] = virtioPCI + ["disable-legacy", "disable-modern"]
        table["virtio-net"] = virtioPCI + ["disable-legacy", "disable-modern"]
        table["virtio-net-pci-transitional"] = virtioPCI
        table["virtio-net-pci-non-transitional"] = virtioPCI
        table["virtio-net-device"] = virtio
        return table
    }()

    /// The properties of `model` in 7.2, or nil when the model is not a NIC this table covers.
    static func properties(of model: String) -> [String]? {
        table[model]
    }
}
