/// One host's configuration with its look-ups by id built once. `HostConfiguration`'s own
/// look-ups scan its arrays, which is fine for a handful of options and quadratic over the
/// thousands a hostile command line may hold; the lint and QEMU's checks go through this.
/// Every look-up finds the first entry with the id, as QEMU does.
public struct HostIndex: Sendable {
    public let host: HostConfiguration
    private let netdevsByID: [String: NetdevConfiguration]
    private let chardevsByID: [String: ChardevConfiguration]
    private let objectsByID: [String: QEMUObjectConfiguration]
    private let nicsByID: [String: NICConfiguration]
    private let nicsByNetdev: [String: [NICConfiguration]]
    private let frontendsByChardev: [String: [ChardevFrontendRole]]
    private let chardevPositions: [String: Int]

    public init(_ host: HostConfiguration) {
        self.host = host
        netdevsByID = Dictionary(host.netdevs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        chardevsByID = Dictionary(host.chardevs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        objectsByID = Dictionary(host.objects.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        nicsByID = Dictionary(host.nics.compactMap { nic in nic.id.map { ($0, nic) } }, uniquingKeysWith: { first, _ in first })
        var byNetdev: [String: [NICConfiguration]] = [:]
        for nic in host.nics {
            if let netdev = nic.netdev { byNetdev[netdev, default: []].append(nic) }
        }
        nicsByNetdev = byNetdev
        var frontends: [String: [ChardevFrontendRole]] = [:]
        for netdev in host.netdevs where netdev.kind == .vhostUser {
            if let chardev = netdev.options.value(for: "chardev") { frontends[chardev, default: []].append(.vhostUserNetdev(netdev: netdev.id)) }
        }
        for object in host.objects {
            for use in object.chardevUses { frontends[use.chardev, default: []].append(use.role) }
        }
        frontendsByChardev = frontends
        chardevPositions = Dictionary(host.chardevs.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func netdev(_ id: String) -> NetdevConfiguration? { netdevsByID[id] }
    public func chardev(_ id: String) -> ChardevConfiguration? { chardevsByID[id] }
    public func object(_ id: String) -> QEMUObjectConfiguration? { objectsByID[id] }
    public func filter(_ id: String) -> FilterConfiguration? { objectsByID[id]?.filter }
    public func nic(_ id: String) -> NICConfiguration? { nicsByID[id] }
    public func nics(attachedTo netdev: String) -> [NICConfiguration] { nicsByNetdev[netdev] ?? [] }
    public func frontends(ofChardev id: String) -> [ChardevFrontendRole] { frontendsByChardev[id] ?? [] }
    /// A chardev's place in command-line (creation) order.
    public func position(ofChardev id: String) -> Int? { chardevPositions[id] }

    /// As `HostConfiguration.usesVnetHeader(netdev:)`.
    public func usesVnetHeader(netdev id: String) -> Bool {
        guard let netdev = netdev(id), netdev.canCarryVnetHeader else { return false }
        return nics(attachedTo: id).contains { $0.isVirtioNet }
    }
}
