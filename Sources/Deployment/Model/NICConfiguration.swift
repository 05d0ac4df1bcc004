/// One guest network card (`-device e1000,netdev=hn0,...`), the netdev's peer.
public struct NICConfiguration: Sendable, Hashable {
    /// The device model (`e1000`, `virtio-net-pci` ...).
    public var model: String
    /// QEMU names a NIC without `id` after its model; nil keeps that anonymity.
    public var id: String?
    public var netdev: String?
    public var mac: String?
    /// Other device properties (`bus=`, `addr=` ...), in the order written.
    public var options: [QEMUKeyValue]

    public init(
        model: String,
        id: String? = nil,
        netdev: String? = nil,
        mac: String? = nil,
        options: [QEMUKeyValue] = []
    ) {
        self.model = model
        self.id = id
        self.netdev = netdev
        self.mac = mac
        self.options = options
    }

    /// virtio-net models prepend a virtio-net header to every frame when the backend can carry
    /// one; the other models never do.
    public var isVirtioNet: Bool { model.hasPrefix("virtio-net") }

    /// NIC models the importer recognises as network cards even without `netdev=`.
    public static let knownModels: [String] = [
        "e1000", "e1000-82544gc", "e1000-82545em", "e1000e", "igb", "rtl8139", "ne2k_pci",
        "ne2k_isa", "pcnet", "i82550", "i82551", "i82557a", "i82557b", "i82557c", "i82558a",
        "i82558b", "i82559a", "i82559b", "i82559c", "i82559er", "i82562", "i82801", "tulip",
        "vmxnet3", "usb-net", "virtio-net-pci", "virtio-net-pci-transitional",
        "virtio-net-pci-non-transitional", "virtio-net-device", "virtio-net-ccw", "virtio-net",
    ]
}
