import Primary

/// Everything one QEMU process contributes to the COLO network path, in creation order.
public struct HostConfiguration: Sendable, Hashable {
    public var netdevs: [NetdevConfiguration]
    public var nics: [NICConfiguration]
    /// Chardevs in command-line order: QEMU opens them in this order, which matters when a
    /// server waits for a client defined later.
    public var chardevs: [ChardevConfiguration]
    /// Objects in command-line order: filters are inserted into their netdev's list in this
    /// order (subject to `position`), and a `position=id=` target must come earlier.
    public var objects: [QEMUObjectConfiguration]
    /// Options outside the network path, kept for export (`-m`, `-enable-kvm`, `-incoming` ...).
    public var otherOptions: [QEMUPassthroughOption]

    public init(
        netdevs: [NetdevConfiguration] = [],
        nics: [NICConfiguration] = [],
        chardevs: [ChardevConfiguration] = [],
        objects: [QEMUObjectConfiguration] = [],
        otherOptions: [QEMUPassthroughOption] = []
    ) {
        self.netdevs = netdevs
        self.nics = nics
        self.chardevs = chardevs
        self.objects = objects
        self.otherOptions = otherOptions
    }

    // MARK: Look-ups (first match, as QEMU finds ids)

    public func netdev(_ id: String) -> NetdevConfiguration? {
        netdevs.first { $0.id == id }
    }

    public func nic(_ id: String) -> NICConfiguration? {
        nics.first { $0.id == id }
    }

    public func chardev(_ id: String) -> ChardevConfiguration? {
        chardevs.first { $0.id == id }
    }

    public func object(_ id: String) -> QEMUObjectConfiguration? {
        objects.first { $0.id == id }
    }

    public func filter(_ id: String) -> FilterConfiguration? {
        object(id)?.filter
    }

    /// All filters in creation order.
    public var filters: [FilterConfiguration] {
        objects.compactMap(\.filter)
    }

    /// All colo-compare objects in creation order.
    public var compares: [COLOCompareObject] {
        objects.compactMap(\.coloCompare)
    }

    public var iothreads: [IOThreadConfiguration] {
        objects.compactMap(\.iothread)
    }

    /// The netdev a filter attaches to, if that netdev exists.
    public func netdev(of filter: FilterConfiguration) -> NetdevConfiguration? {
        filter.netdev.flatMap { netdev($0) }
    }

    /// The NICs whose `netdev=` names this backend (normally one: its peer).
    public func nics(attachedTo netdev: String) -> [NICConfiguration] {
        nics.filter { $0.netdev == netdev }
    }

    /// Whether frames on this backend begin with a virtio-net header: the peer NIC is
    /// virtio-net and the backend can carry one. This is what `vnet_hdr_support` of every filter
    /// and compare on the path must agree with (L-10).
    public func usesVnetHeader(netdev id: String) -> Bool {
        guard let netdev = netdev(id), netdev.canCarryVnetHeader else { return false }
        return nics(attachedTo: id).contains { $0.isVirtioNet }
    }

    /// Every frontend of a chardev, in object creation order.
    public func frontends(ofChardev id: String) -> [ChardevFrontendRole] {
        var roles: [ChardevFrontendRole] = []
        for netdev in netdevs where netdev.kind == .vhostUser && netdev.options.value(for: "chardev") == id {
            roles.append(.vhostUserNetdev(netdev: netdev.id))
        }
        for object in objects {
            for use in object.chardevUses where use.chardev == id {
                roles.append(use.role)
            }
        }
        return roles
    }

    /// The filter lists QEMU builds, per netdev (F-1.4, F-1.6).
    public var filterChains: FilterChains {
        FilterChains(host: self)
    }
}
