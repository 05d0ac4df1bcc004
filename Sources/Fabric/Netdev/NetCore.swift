import Collections

/// The net layer of one QEMU process: its clients in creation order, the object tree filters
/// are looked up in, the VM run state, and the send / filter-walk / queue machinery (F-3…F-14).
///
/// Single-threaded and deterministic: time is whatever `virtualNanoseconds` says, and events
/// go to `eventSink` in the order they happen.
public final class NetCore {
    public let queueOrdering: NetQueueOrdering
    public private(set) var clients: [NetClient] = []
    // The fields below are touched by every hop. Their dynamic exclusivity checks are off: the
    // core runs on one thread, the counters are only ever bumped in place, and the sink and VM
    // state are only read while a frame moves (no sink or filter replaces them mid-access).
    @exclusivity(unchecked) public internal(set) var isVMRunning: Bool
    /// Virtual clock reading, set by whoever drives time; filters read it (filter-dump).
    public var virtualNanoseconds: UInt64 = 0
    /// Where filters look up chardevs by id (M-2, R-2).
    public var chardevs: any ChardevDirectory
    @exclusivity(unchecked) public var eventSink: (any NetHopSink)?
    @exclusivity(unchecked) public internal(set) var counters = NetCounters()
    /// The process's main loop, which a filter's blocked write wedges (M-4, R-3). Its owner
    /// gives it a scheduler so that deferred work runs in events of its own.
    public var mainLoop = MainLoop()
    /// Walks waiting in a filter's blocked write (neither delivered, stolen nor dropped yet).
    public internal(set) var suspendedWalks = 0

    /// QEMU's object tree root: ids of filters and of other user-created objects.
    var objects: OrderedDictionary<String, ObjectEntry> = [:]
    @exclusivity(unchecked) private var walkCounter = 0

    enum ObjectEntry {
        case filter(FilterContext)
        case other(typeName: String)
    }

    public init(
        queueOrdering: NetQueueOrdering = .qemu,
        vmRunning: Bool = true,
        chardevs: any ChardevDirectory = ChardevRegistry()
    ) {
        self.queueOrdering = queueOrdering
        self.isVMRunning = vmRunning
        self.chardevs = chardevs
    }

    deinit {
        // A filter context and its netdev refer to each other; unlinking here lets both go, and
        // with them the filters' chardev claims and open capture files.
        for client in clients {
            client.filters.removeAll()
            // Clients may outlive the core; their unowned peer links must not.
            client.peer = nil
        }
    }

    // MARK: Topology

    /// Adds a backend. `queues > 1` makes a multiqueue backend: that many clients share the
    /// name, which filters refuse (F-1).
    @discardableResult
    public func addNetdev(
        name: String,
        driver: String = "tap",
        vnetHeaderLength: UInt32 = 0,
        queues: Int = 1,
        usesVhost: Bool = false,
        endpoint: any NetEndpoint = FrameRecorder()
    ) throws(NetClientError) -> NetClient {
        guard queues >= 1 else { throw .invalidQueueCount(queues) }
        guard !clients.contains(where: { $0.name == name }) else { throw .duplicateName(name) }
        var first: NetClient?
        for _ in 0..<queues {
            let client = NetClient(
                name: name, role: .netdev, driver: driver, creationIndex: clients.count,
                vnetHeaderLength: vnetHeaderLength, usesVhost: usesVhost, endpoint: endpoint)
            clients.append(client)
            first = first ?? client
        }
        guard let first else { throw .invalidQueueCount(queues) }
        return first
    }

    /// Adds a guest NIC, peered with the netdev named `peer` when given.
    @discardableResult
    public func addNIC(
        name: String,
        driver: String = "virtio-net-pci",
        peer peerName: String? = nil,
        endpoint: any NetEndpoint = FrameRecorder()
    ) throws(NetClientError) -> NetClient {
        guard !clients.contains(where: { $0.name == name }) else { throw .duplicateName(name) }
        var peer: NetClient?
        if let peerName {
            guard let found = clients.first(where: { $0.name == peerName }) else { throw .peerNotFound(peerName) }
            guard found.role == .netdev else { throw .peerIsNotANetdev(peerName) }
            guard found.peer == nil else { throw .peerAlreadyInUse(peerName) }
            peer = found
        }
        let nic = NetClient(
            name: name, role: .nic, driver: driver, creationIndex: clients.count,
            vnetHeaderLength: peer?.vnetHeaderLength ?? 0, usesVhost: false, endpoint: endpoint)
        clients.append(nic)
        if let peer {
            nic.peer = peer
            peer.peer = nic
        }
        return nic
    }

    /// The first client with this name (for a multiqueue backend, its first queue).
    public func client(named name: String) -> NetClient? {
        clients.first { $0.name == name }
    }

    /// Records a non-filter object (colo-compare, iothread …) in the object tree, so that ids
    /// clash as in QEMU and `position=id=` can name it.
    public func registerObject(id: String, typeName: String) throws(FilterCreationError) {
        try checkNewObjectID(id)
        objects[id] = .other(typeName: typeName)
    }

    public func filter(id: String) -> FilterContext? {
        if case .filter(let context)? = objects[id] { return context }
        return nil
    }

    // MARK: Events

    func emit(_ event: NetHop) {
        eventSink?.record(event)
    }

    func startWalk() -> WalkID {
        walkCounter += 1
        counters.walks += 1
        return WalkID(walkCounter)
    }

    func drop(_ walk: WalkID, _ reason: DropReason, at client: NetClient?) {
        counters.countDrop(reason)
        emit(.dropped(walk, reason: reason, client: client?.name))
    }
}
