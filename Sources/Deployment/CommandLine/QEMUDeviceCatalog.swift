/// The device models (and aliases) `qemu-system-x86_64 -device help` lists, by the bus they
/// plug into: read from Debian's 7.2 binary. A model missing here makes 7.2 stop with "'X' is not
/// a valid device model name"; upstream has added models since, so there a missing name is only
/// a warning.
enum QEMUDeviceCatalog {
    static let modelsByBus: [String: [String]] = [
        "": [
            "486-v1-x86_64-cpu", "486-x86_64-cpu", "Broadwell-IBRS-x86_64-cpu",
            "Broadwell-noTSX-IBRS-x86_64-cpu", "Broadwell-noTSX-x86_64-cpu",
            "Broadwell-v1-x86_64-cpu", "Broadwell-v2-x86_64-cpu", "Broadwell-v3-x86_64-cpu",
            "Broadwell-v4-x86_64-cpu", "Broadwell-x86_64-cpu",
            "Cascadelake-Server-noTSX-x86_64-cpu", "Cascadelake-Server-v1-x86_64-cpu",
            "Cascadelake-Server-v2-x86_64-cpu", "Cascadelake-Server-v3-x86_64-cpu",
            "Cascadelake-Server-v4-x86_64-cpu", "Cascadelake-Server-v5-x86_64-cpu",
            "Cascadelake-Server-x86_64-cpu", "Conroe-v1-x86_64-cpu", "Conroe-x86_64-cpu",
            "Cooperlake-v1-x86_64-cpu", "Cooperlake-v2-x86_64-cpu", "Cooperlake-x86_64-cpu",
            "Denverton-v1-x86_64-cpu", "Denverton-v2-x86_64-cpu", "Denverton-v3-x86_64-cpu",
            "Denverton-x86_64-cpu", "Dhyana-v1-x86_64-cpu", "Dhyana-v2-x86_64-cpu",
            "Dhyana-x86_64-cpu", "EPYC-IBPB-x86_64-cpu", "EPYC-Milan-v1-x86_64-cpu",
            "EPYC-Milan-x86_64-cpu", "EPYC-Rome-v1-x86_64-cpu", "EPYC-Rome-v2-x86_64-cpu",
            "EPYC-Rome-x86_64-cpu", "EPYC-v1-x86_64-cpu", "EPYC-v2-x86_64-cpu",
            "EPYC-v3-x86_64-cpu", "EPYC-x86_64-cpu", "Haswell-IBRS-x86_64-cpu",
            "Haswell-noTSX-IBRS-x86_64-cpu", "Haswell-noTSX-x86_64-cpu", "Haswell-v1-x86_64-cpu",
            "Haswell-v2-x86_64-cpu", "Haswell-v3-x86_64-cpu", "Haswell-v4-x86_64-cpu",
            "Haswell-x86_64-cpu", "Icelake-Server-noTSX-x86_64-cpu", "Icelake-Server-v1-x86_64-cpu",
            "Icelake-Server-v2-x86_64-cpu", "Icelake-Server-v3-x86_64-cpu",
            "Icelake-Server-v4-x86_64-cpu", "Icelake-Server-v5-x86_64-cpu",
            "Icelake-Server-v6-x86_64-cpu", "Icelake-Server-x86_64-cpu",
            "IvyBridge-IBRS-x86_64-cpu", "IvyBridge-v1-x86_64-cpu", "IvyBridge-v2-x86_64-cpu",
            "IvyBridge-x86_64-cpu", "KnightsMill-v1-x86_64-cpu", "KnightsMill-x86_64-cpu",
            "Nehalem-IBRS-x86_64-cpu", "Nehalem-v1-x86_64-cpu", "Nehalem-v2-x86_64-cpu",
            "Nehalem-x86_64-cpu", "Opteron_G1-v1-x86_64-cpu", "Opteron_G1-x86_64-cpu",
            "Opteron_G2-v1-x86_64-cpu", "Opteron_G2-x86_64-cpu", "Opteron_G3-v1-x86_64-cpu",
            "Opteron_G3-x86_64-cpu", "Opteron_G4-v1-x86_64-cpu", "Opteron_G4-x86_64-cpu",
            "Opteron_G5-v1-x86_64-cpu", "Opteron_G5-x86_64-cpu", "Penryn-v1-x86_64-cpu",
            "Penryn-x86_64-cpu", "SandyBridge-IBRS-x86_64-cpu", "SandyBridge-v1-x86_64-cpu",
            "SandyBridge-v2-x86_64-cpu", "SandyBridge-x86_64-cpu", "Skylake-Client-IBRS-x86_64-cpu",
            "Skylake-Client-noTSX-IBRS-x86_64-cpu", "Skylake-Client-v1-x86_64-cpu",
            "Skylake-Client-v2-x86_64-cpu", "Skylake-Client-v3-x86_64-cpu",
            "Skylake-Client-v4-x86_64-cpu", "Skylake-Client-x86_64-cpu",
            "Skylake-Server-IBRS-x86_64-cpu", "Skylake-Server-noTSX-IBRS-x86_64-cpu",
            "Skylake-Server-v1-x86_64-cpu", "Skylake-Server-v2-x86_64-cpu",
            "Skylake-Server-v3-x86_64-cpu", "Skylake-Server-v4-x86_64-cpu",
            "Skylake-Server-v5-x86_64-cpu", "Skylake-Server-x86_64-cpu", "Snowridge-v1-x86_64-cpu",
            "Snowridge-v2-x86_64-cpu", "Snowridge-v3-x86_64-cpu", "Snowridge-v4-x86_64-cpu",
            "Snowridge-x86_64-cpu", "Westmere-IBRS-x86_64-cpu", "Westmere-v1-x86_64-cpu",
            "Westmere-v2-x86_64-cpu", "Westmere-x86_64-cpu", "athlon-v1-x86_64-cpu",
            "athlon-x86_64-cpu", "base-x86_64-cpu", "core2duo-v1-x86_64-cpu", "core2duo-x86_64-cpu",
            "coreduo-v1-x86_64-cpu", "coreduo-x86_64-cpu", "guest-loader", "host-x86_64-cpu",
            "hv-syndbg", "ipmi-bmc-extern", "ipmi-bmc-sim", "kvm32-v1-x86_64-cpu",
            "kvm32-x86_64-cpu", "kvm64-v1-x86_64-cpu", "kvm64-x86_64-cpu", "loader",
            "max-x86_64-cpu", "n270-v1-x86_64-cpu", "n270-x86_64-cpu", "nvdimm", "nvme-subsys",
            "pc-dimm", "pentium-v1-x86_64-cpu", "pentium-x86_64-cpu", "pentium2-v1-x86_64-cpu",
            "pentium2-x86_64-cpu", "pentium3-v1-x86_64-cpu", "pentium3-x86_64-cpu",
            "phenom-v1-x86_64-cpu", "phenom-x86_64-cpu", "qemu32-v1-x86_64-cpu",
            "qemu32-x86_64-cpu", "qemu64-v1-x86_64-cpu", "qemu64-x86_64-cpu", "tpm-crb",
            "vmcoreinfo", "vmgenid",
        ],
        "HDA": [
            "hda-duplex", "hda-micro", "hda-output",
        ],
        "IDE": [
            "ide-cd", "ide-hd",
        ],
        "ISA": [
            "adlib", "cs4231a", "gus", "hyperv-testdev", "i8042", "ib700", "isa-applesmc",
            "isa-cirrus-vga", "isa-debug-exit", "isa-debugcon", "isa-fdc", "isa-ide", "isa-ipmi-bt",
            "isa-ipmi-kcs", "isa-parallel", "isa-serial", "isa-vga", "mc146818rtc", "ne2k_isa",
            "pc-testdev", "pvpanic", "sb16", "sga", "tpm-tis", "vmmouse",
        ],
        "IndustryPack": [
            "ipoctal232",
        ],
        "PCI": [
            "AC97", "AMDVI-PCI", "ES1370", "VGA", "ac97", "acpi-erst", "ahci", "am53c974",
            "ati-vga", "bochs-display", "cirrus-vga", "ctucan_pci", "cxl-downstream", "cxl-rp",
            "cxl-type3", "cxl-upstream", "dc390", "e1000", "e1000-82540em", "e1000-82544gc",
            "e1000-82545em", "e1000e", "edu", "es1370", "i6300esb", "i82550", "i82551", "i82557a",
            "i82557b", "i82557c", "i82558a", "i82558b", "i82559a", "i82559b", "i82559c", "i82559er",
            "i82562", "i82801", "i82801b11-bridge", "ich9-ahci", "ich9-intel-hda", "ich9-usb-ehci1",
            "ich9-usb-ehci2", "ich9-usb-uhci1", "ich9-usb-uhci2", "ich9-usb-uhci3",
            "ich9-usb-uhci4", "ich9-usb-uhci5", "ich9-usb-uhci6", "intel-hda", "ioh3420",
            "ivshmem-doorbell", "ivshmem-plain", "kvaser_pci", "lsi", "lsi53c810", "lsi53c895a",
            "megasas", "megasas-gen2", "mioe3680_pci", "mptsas1068", "ne2k_pci", "nec-usb-xhci",
            "nvme", "pci-bridge", "pci-bridge-seat", "pci-ipmi-bt", "pci-ipmi-kcs", "pci-ohci",
            "pci-serial", "pci-serial-2x", "pci-serial-4x", "pci-testdev", "pcie-pci-bridge",
            "pcie-root-port", "pcm3680_pci", "pcnet", "piix3-ide", "piix3-usb-uhci", "piix4-ide",
            "piix4-usb-uhci", "pvpanic-pci", "pvrdma", "pvscsi", "pxb", "pxb-cxl", "pxb-pcie",
            "qemu-xhci", "qxl", "qxl-vga", "rocker", "rtl8139", "sdhci-pci", "secondary-vga",
            "tpci200", "tulip", "usb-ehci", "vfio-pci", "vfio-pci-igd-lpc-bridge",
            "vfio-pci-nohotplug", "vhost-scsi-pci", "vhost-scsi-pci-non-transitional",
            "vhost-scsi-pci-transitional", "vhost-user-blk-pci",
            "vhost-user-blk-pci-non-transitional", "vhost-user-blk-pci-transitional",
            "vhost-user-fs-pci", "vhost-user-gpio-pci", "vhost-user-gpu-pci", "vhost-user-i2c-pci",
            "vhost-user-input-pci", "vhost-user-rng-pci", "vhost-user-scsi-pci",
            "vhost-user-scsi-pci-non-transitional", "vhost-user-scsi-pci-transitional",
            "vhost-user-vga", "vhost-user-vsock-pci", "vhost-user-vsock-pci-non-transitional",
            "vhost-vsock-pci", "vhost-vsock-pci-non-transitional", "virtio-9p", "virtio-9p-pci",
            "virtio-9p-pci-non-transitional", "virtio-9p-pci-transitional", "virtio-balloon",
            "virtio-balloon-pci", "virtio-balloon-pci-non-transitional",
            "virtio-balloon-pci-transitional", "virtio-blk", "virtio-blk-pci",
            "virtio-blk-pci-non-transitional", "virtio-blk-pci-transitional", "virtio-crypto-pci",
            "virtio-gpu", "virtio-gpu-gl", "virtio-gpu-gl-pci", "virtio-gpu-pci",
            "virtio-input-host", "virtio-input-host-pci", "virtio-iommu", "virtio-iommu-pci",
            "virtio-keyboard", "virtio-keyboard-pci", "virtio-mem-pci", "virtio-mouse",
            "virtio-mouse-pci", "virtio-net", "virtio-net-pci", "virtio-net-pci-non-transitional",
            "virtio-net-pci-transitional", "virtio-pmem-pci", "virtio-rng", "virtio-rng-pci",
            "virtio-rng-pci-non-transitional", "virtio-rng-pci-transitional", "virtio-scsi",
            "virtio-scsi-pci", "virtio-scsi-pci-non-transitional", "virtio-scsi-pci-transitional",
            "virtio-serial", "virtio-serial-pci", "virtio-serial-pci-non-transitional",
            "virtio-serial-pci-transitional", "virtio-tablet", "virtio-tablet-pci", "virtio-vga",
            "virtio-vga-gl", "vmware-svga", "vmxnet3", "x-pci-proxy-dev", "x3130-upstream",
            "xio3130-downstream",
        ],
        "SCSI": [
            "scsi-block", "scsi-cd", "scsi-generic", "scsi-hd",
        ],
        "System": [
            "amd-iommu", "intel-iommu", "ramfb", "vmbus-bridge",
        ],
        "ccid-bus": [
            "ccid-card-emulated", "ccid-card-passthru",
        ],
        "floppy-bus": [
            "floppy",
        ],
        "i2c-bus": [
            "i2c-ddc", "smbus-ipmi",
        ],
        "nvme-bus": [
            "nvme-ns",
        ],
        "sd-bus": [
            "sd-card",
        ],
        "usb-bus": [
            "u2f-passthru", "usb-audio", "usb-bot", "usb-braille", "usb-ccid", "usb-host",
            "usb-hub", "usb-kbd", "usb-mouse", "usb-mtp", "usb-net", "usb-redir", "usb-serial",
            "usb-storage", "usb-tablet", "usb-uas", "usb-wacom-tablet",
        ],
        "virtio-bus": [
            "vhost-scsi", "vhost-user-blk", "vhost-user-fs-device", "vhost-user-gpio-device",
            "vhost-user-gpu", "vhost-user-i2c-device", "vhost-user-input", "vhost-user-rng",
            "vhost-user-scsi", "vhost-user-vsock-device", "vhost-vsock-device", "virtio-9p-device",
            "virtio-balloon-device", "virtio-blk-device", "virtio-crypto-device",
            "virtio-gpu-device", "virtio-input-host-device", "virtio-iommu-device",
            "virtio-keyboard-device", "virtio-mem", "virtio-mouse-device", "virtio-net-device",
            "virtio-pmem", "virtio-rng-device", "virtio-scsi-device", "virtio-serial-device",
            "virtio-tablet-device",
        ],
        "virtio-serial-bus": [
            "virtconsole", "virtserialport",
        ],
    ]

    /// Model name to bus (empty: plugs into no bus, e.g. a CPU).
    static let busOfModel: [String: String] = {
        var map: [String: String] = [:]
        for (bus, models) in modelsByBus {
            for model in models { map[model] = bus }
        }
        return map
    }()

    static let allModels: [String] = modelsByBus.values.flatMap { $0 }.sorted()
}
