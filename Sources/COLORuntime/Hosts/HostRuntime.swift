import Collections
import Fabric
import GuestStack
import Primary
import Secondary
import Deployment

/// One QEMU process of the COLO pair, built from its `HostConfiguration`: the net core with
/// its tap netdev(s) and the guest's NIC, the socket chardevs, and the objects in command-line
/// order (filters through the net core's own creation rules, colo-compare as a `CompareNode`).
///
/// Components are reached only through their chardev pipes and netdev queues; the controller
/// acts on the process through the VM run state and COLO events, as QEMU's migration thread does.
final class HostRuntime {
    let role: HostRole
    let configuration: HostConfiguration
    let core: NetCore
    let registry = ChardevRegistry()
    private(set) var chardevs: OrderedDictionary<String, SocketChardev> = [:]
    private(set) var taps: [TapBackend] = []
    private(set) var guest: GuestMachine
    private(set) var compares: [CompareNode] = []
    private(set) var rewriters: [(id: String, filter: RewriterFilter)] = []
    private(set) var redirectors: [(id: String, filter: FilterRedirector)] = []
    private(set) var mirrors: [(id: String, filter: FilterMirror)] = []
    private(set) var isAlive = true
    /// QEMU's process-global `max_queue_size`, shared by this process's compares.
    let compareProcess = CompareProcess()
    /// Decoded records that reached a redirector's indev after the redirector was deleted.
    var recordsWithoutFrontend: Int {
        redirectors.reduce(0) { total, entry in
            total + (entry.filter.indevID.flatMap { chardevs[$0] }?.counters.framesWithoutFrontend ?? 0)
        }
    }

    private let scheduler: Scheduler
    private let profiles: ProfileSelection
    private let mutant: EngineMutant?
    private let log: RunLog
    private let sink: HostHopSink

    deinit {
        // A net client holds its endpoint (the guest, a tap) and the endpoint holds its client:
        // broken here, or every run's guests and taps (and the scheduler they hold) outlive it.
        guest.detachNIC()
        for tap in taps { tap.detachNetdev() }
    }

    /// Phase 1: the net core, netdevs, the NIC and its guest, and the socket chardevs. Objects
    /// come in `createObjects()`, once every pipe exists.
    init(
        role: HostRole, configuration: HostConfiguration, run: COLORunConfiguration,
        scheduler: Scheduler, log: RunLog
    ) throws(COLORunError) {
        self.role = role
        self.configuration = configuration
        self.scheduler = scheduler
        self.profiles = run.profiles
        mutant = run.mutant
        self.log = log
        let host = role.rawValue
        core = NetCore(queueOrdering: run.profiles.netQueue, vmRunning: true, chardevs: registry)
        core.mainLoop = MainLoop(name: "\(role) main loop", scheduler: scheduler)
        sink = HostHopSink(role: role, log: log)
        core.eventSink = sink

        for chardev in configuration.chardevs {
            guard chardev.socket != nil else { continue }
            let port = SocketChardev(id: chardev.id, writerBlocking: run.profiles.writers)
            chardevs[chardev.id] = port
            registry.add(port)
        }

        let nics = configuration.nics.filter { $0.netdev != nil }
        guard nics.count == 1, let nicConfiguration = nics.first, let peerName = nicConfiguration.netdev else {
            throw .unsupported(host: host, what: "\(nics.count) guest NICs attached to netdevs (exactly one is emulated)")
        }
        let vnet = configuration.usesVnetHeader(netdev: peerName) ? Self.virtioNetHeaderLength : 0
        guest = try GuestMachine.make(
            role: role, nic: nicConfiguration, vnetHeaderLength: vnet, run: run, scheduler: scheduler, core: core)

        for netdev in configuration.netdevs {
            guard netdev.kind == .tap || netdev.kind == .bridge else {
                throw .unsupported(host: host, what: "netdev '\(netdev.id)' of type \(netdev.kind)")
            }
            let vnetLength = configuration.usesVnetHeader(netdev: netdev.id) ? Self.virtioNetHeaderLength : 0
            let tap = TapBackend(role: role, name: netdev.id, core: core, scheduler: scheduler, vnetHeaderLength: vnetLength)
            do {
                let client = try core.addNetdev(
                    name: netdev.id, driver: netdev.kind.rawValue, vnetHeaderLength: UInt32(vnetLength),
                    queues: netdev.queues ?? 1, usesVhost: netdev.usesVhost, endpoint: tap)
                tap.attach(netdev: client)
            } catch {
                throw .creationFailed(host: host, object: netdev.id, reason: error.description)
            }
            taps.append(tap)
        }
        sink.taps = taps
        do {
            let nicName = nicConfiguration.id ?? "\(nicConfiguration.model).0"
            let nic = try core.addNIC(name: nicName, driver: nicConfiguration.model, peer: peerName, endpoint: guest)
            guest.attach(nic: nic)
        } catch {
            throw .creationFailed(host: host, object: nicConfiguration.id ?? nicConfiguration.model, reason: error.description)
        }
    }

    /// virtio-net's header with mergeable receive buffers (virtio 1.0).
    static let virtioNetHeaderLength = 12

    /// The tap the host network attaches to: the guest NIC's peer.
    var serviceTap: TapBackend? {
        let peer = guest.nic?.peer?.name
        return taps.first { $0.name == peer }
    }

    // MARK: Phase 2: objects

    /// Creates every object in command-line order; each one installs its own handlers on the
    /// chardevs it reads.
    func createObjects() throws(COLORunError) {
        let host = role.rawValue
        for object in configuration.objects {
            switch object {
            case .iothread, .other:
                do {
                    try core.registerObject(id: object.id, typeName: object.typeName)
                } catch {
                    throw .creationFailed(host: host, object: object.id, reason: error.description)
                }
            case .filter(let filter):
                try createFilter(filter)
            case .coloCompare(let compare):
                try createCompare(compare)
            }
        }
    }

    private func createFilter(_ filter: FilterConfiguration) throws(COLORunError) {
        let host = role.rawValue
        let instance: any NetFilter
        switch filter.kind {
        case .mirror:
            let mirror = FilterMirror(outdev: filter.outdev, vnetHeaderSupport: filter.vnetHeaderSupport)
            mirrors.append((filter.id, mirror))
            instance = mirror
        case .redirector:
            let redirector = FilterRedirector(
                indev: filter.indev, outdev: filter.outdev, vnetHeaderSupport: filter.vnetHeaderSupport, version: profiles.net)
            redirectors.append((filter.id, redirector))
            instance = redirector
        case .rewriter:
            let vnet = filter.vnetHeaderSupport && configuration.usesVnetHeader(netdev: filter.netdev ?? "") ? Self.virtioNetHeaderLength : 0
            let rewriter = RewriterFilter(profile: profiles.rewriter, mutant: mutant, vnetHeaderLength: UInt32(vnet), core: core)
            let role = role, log = log, id = filter.id, idHash = FNV1a64.hash(filter.id)
            rewriter.onEvent = { event in log.rewriter(event, host: role, object: id, objectHash: idHash) }
            rewriter.onQueueEvent = { event in log.rewriterQueue(event, host: role, object: id, objectHash: idHash) }
            rewriters.append((filter.id, rewriter))
            instance = rewriter
        case .dump:
            do {
                instance = try FilterDump(file: filter.file, maxLength: filter.maxlen ?? FilterDump.defaultMaxLength, version: profiles.net)
            } catch {
                throw .creationFailed(host: host, object: filter.id, reason: error.description)
            }
        case .buffer:
            throw .unsupported(host: host, what: "filter-buffer '\(filter.id)'")
        }
        let options = FilterOptions(
            id: filter.id, netdev: filter.netdev, queue: filter.queue, status: filter.status,
            position: filter.position.description, insert: filter.insert)
        do {
            try core.addFilter(instance, options: options)
        } catch {
            throw .creationFailed(host: host, object: filter.id, reason: error.description)
        }
    }

    private func createCompare(_ compare: COLOCompareConfiguration) throws(COLORunError) {
        let host = role.rawValue
        if compare.notifyDev != nil {
            throw .unsupported(host: host, what: "colo-compare '\(compare.id)' with notify_dev (Xen COLO)")
        }
        let properties: COLOCompareProperties
        do {
            properties = try compare.properties()
        } catch {
            throw .creationFailed(host: host, object: compare.id, reason: error.description)
        }
        let primaryIn: String, secondaryIn: String, outdev: String
        do {
            (primaryIn, secondaryIn, outdev) = try properties.channelChardevs()
        } catch .missingRequiredProperties {
            throw .creationFailed(host: host, object: compare.id, reason: "primary_in, secondary_in, outdev and iothread are required (C-1)")
        } catch {
            throw .creationFailed(host: host, object: compare.id, reason: "primary_in, secondary_in and outdev must name different chardevs (C-1)")
        }
        do {
            try core.registerObject(id: compare.id, typeName: "colo-compare")
        } catch {
            throw .creationFailed(host: host, object: compare.id, reason: error.description)
        }
        compareProcess.adoptMaxQueueSize(of: properties)
        var ports: [SocketChardev] = []
        for id in [primaryIn, secondaryIn, outdev] {
            guard let port = chardevs[id] else {
                throw .creationFailed(host: host, object: compare.id, reason: "chardev '\(id)' not found or not a socket (C-1.4)")
            }
            ports.append(port)
        }
        let node: CompareNode
        do {
            node = try CompareNode(
                id: compare.id, configuration: COLOCompare.Configuration(properties, profile: profiles.compare, mutant: mutant),
                process: compareProcess, scheduler: scheduler,
                primaryIn: ports[0], secondaryIn: ports[1], outdev: ports[2])
        } catch {
            throw .creationFailed(host: host, object: compare.id, reason: error.description)
        }
        let role = role, log = log, id = compare.id, idHash = FNV1a64.hash(compare.id)
        node.onEvent = { event in log.compare(event, host: role, object: id, objectHash: idHash) }
        compares.append(node)
    }

    // MARK: VM state and COLO events

    var isVMRunning: Bool { core.isVMRunning }

    /// The process's main loop: QMP commands, and the COLO threads' steps that need the big
    /// lock, wait while a filter's blocked write wedges it (M-4, R-3).
    var mainLoop: MainLoop { core.mainLoop }

    func stopVM() {
        guard isAlive, core.isVMRunning else { return }
        core.setVMRunning(false)
        guest.pause()
    }

    /// F-14 flushes the peers' queues; the taps read again; the guest's clock resumes; the
    /// rewriters hear of it (a corrected profile releases held copies then).
    func startVM() {
        guard isAlive, !core.isVMRunning else { return }
        core.setVMRunning(true)
        guest.resume()
        for tap in taps { tap.schedulePoll() }
        for (_, rewriter) in rewriters { rewriter.vmStarted() }
    }

    /// F-9: every filter of every client hears the event; the first error stops the visit.
    func notifyFilters(_ event: COLOFilterEvent) -> String? {
        do {
            try core.notifyFilters(event)
            return nil
        } catch {
            return error.description
        }
    }

    /// The process is gone: its guest, taps and compares stop. Its pipes are cut by the world.
    func kill() {
        isAlive = false
        guest.kill()
        for tap in taps { tap.kill() }
        for compare in compares { compare.stop() }
    }

    /// `object-del` of a filter (F-11), a compare (C-28, flushed as the profile says) or another
    /// object (an iothread). Returns what happened worth telling, or the error.
    func deleteObject(_ id: String) -> (note: String?, error: String?) {
        var note: String?
        if let compare = compares.first(where: { $0.id == id }) {
            let flush = compare.delete(profiles.compareDeletion)
            if flush.lost > 0 {
                note = "\(flush.lost) queued primary packet(s) lost: outdev is detached before the flush (C-28, QEMU)"
            } else if flush.released > 0 {
                note = "\(flush.released) queued primary packet(s) flushed to outdev"
            }
        }
        do {
            try core.removeObject(id: id)
            return (note, nil)
        } catch {
            return (note, error.description)
        }
    }

    /// The iothreads the compares run in, in creation order (the teardown deletes them).
    var compareIOThreads: [String] {
        var ids: [String] = []
        for object in configuration.objects {
            if case .coloCompare(let compare) = object, let iothread = compare.iothread, !ids.contains(iothread) {
                ids.append(iothread)
            }
        }
        return ids
    }
}

/// Forwards a host's net-core events to the run log, and completed tap sends to their tap.
final class HostHopSink: NetHopSink {
    let role: HostRole
    /// Strong: the log refers to no sink, and an unowned reference cost a check on every hop.
    private let log: RunLog
    var taps: [TapBackend] = []

    init(role: HostRole, log: RunLog) {
        self.role = role
        self.log = log
    }

    func record(_ event: NetHop) {
        log.net(event, host: role)
        if case .sendCompleted(_, let sender) = event {
            for tap in taps where tap.name == sender { tap.sendCompleted() }
        }
    }
}
