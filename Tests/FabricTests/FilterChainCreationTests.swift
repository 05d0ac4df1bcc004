import Testing
@testable import Fabric

@Suite("Filter creation, placement, status, events, deletion (F-1, F-8…F-11)")
struct FilterChainCreationTests {
    // MARK: Placement

    @Test("F-1.6: position head/tail and id=X with insert before/behind place filters exactly")
    func placement() throws {
        let setup = try TapAndNIC()
        try setup.addProbe("a")
        try setup.addProbe("b")
        #expect(setup.filterOrder == ["a", "b"])
        try setup.addProbe("h", position: "head")
        #expect(setup.filterOrder == ["h", "a", "b"])
        try setup.addProbe("t", position: "tail")
        #expect(setup.filterOrder == ["h", "a", "b", "t"])
        try setup.addProbe("beforeB", position: "id=b", insert: .before)
        #expect(setup.filterOrder == ["h", "a", "beforeB", "b", "t"])
        try setup.addProbe("behindA", position: "id=a", insert: .behind)
        #expect(setup.filterOrder == ["h", "a", "behindA", "beforeB", "b", "t"])
        try setup.addProbe("behindT", position: "id=t")
        #expect(setup.filterOrder == ["h", "a", "behindA", "beforeB", "b", "t", "behindT"])
        try setup.addProbe("beforeH", position: "id=h", insert: .before)
        #expect(setup.filterOrder == ["beforeH", "h", "a", "behindA", "beforeB", "b", "t", "behindT"])
    }

    @Test("K-12 / F-1.6: a redirector inserted before an existing filter is walked before it in tx and after it in rx")
    func insertBeforeChangesWalks() throws {
        let setup = try TapAndNIC()
        try setup.addProbe("rew0")
        try setup.addProbe("f1", position: "id=rew0", insert: .before)
        setup.core.send(testFrame(1), from: setup.tap)
        setup.core.send(testFrame(2), from: setup.nic)
        #expect(setup.journal.calls.map(\.description) == ["f1/tx", "rew0/tx", "rew0/rx", "f1/rx"])
    }

    @Test("§3.1: property texts are parsed as QEMU does, other values refused")
    func propertyParsing() throws {
        #expect(try FilterQueue(parsing: "rx") == .rx)
        #expect(FilterQueue.all.rawValue == 0 && FilterQueue.rx.rawValue == 1 && FilterQueue.tx.rawValue == 2)
        #expect(throws: FilterPropertyError.invalidQueue("both")) { try FilterQueue(parsing: "both") }
        #expect(try FilterStatus(parsing: "off") == .off)
        #expect(throws: FilterPropertyError.invalidStatus("ON")) { try FilterStatus(parsing: "ON") }
        #expect(try FilterInsert(parsing: "before") == .before)
        #expect(throws: FilterPropertyError.invalidInsert("after")) { try FilterInsert(parsing: "after") }
    }

    // MARK: F-1 validation order

    func create(_ core: NetCore, _ filter: any NetFilter, _ options: FilterOptions) -> FilterCreationError? {
        do {
            try core.addFilter(filter, options: options)
            return nil
        } catch {
            return error
        }
    }

    @Test("F-1: each completion check, in QEMU's order")
    func validationOrder() throws {
        let setup = try TapAndNIC()
        let core = setup.core
        try core.addNetdev(name: "mq0", queues: 2)
        try core.addNetdev(name: "vh0", usesVhost: true)
        try core.addNetdev(name: "tap1")
        try setup.addProbe("existing")
        try core.addFilter(ProbeFilter(journal: setup.journal), options: FilterOptions(id: "elsewhere", netdev: "tap1"))
        try core.registerObject(id: "comp0", typeName: "colo-compare")
        let probe = { ProbeFilter(journal: setup.journal) }

        // QOM id checks come before completion.
        #expect(create(core, probe(), FilterOptions(id: "9bad", netdev: nil)) == .invalidID("9bad"))
        #expect(create(core, probe(), FilterOptions(id: "existing", netdev: nil)) == .duplicateID("existing"))
        // 1. netdev unset wins over every later problem.
        #expect(create(core, probe(), FilterOptions(id: "x", netdev: nil, position: "bogus")) == .netdevMissing)
        // 2. unknown name, NIC name, multiqueue.
        #expect(create(core, probe(), FilterOptions(id: "x", netdev: "nope", position: "bogus")) == .netdevNotABackend("nope", namesNIC: false))
        #expect(create(core, probe(), FilterOptions(id: "x", netdev: "nic0", position: "bogus")) == .netdevNotABackend("nic0", namesNIC: true))
        #expect(create(core, probe(), FilterOptions(id: "x", netdev: "mq0", position: "bogus")) == .multiqueueUnsupported("mq0", queues: 2))
        // 3. vhost before position.
        #expect(create(core, probe(), FilterOptions(id: "x", netdev: "vh0", position: "bogus")) == .vhostUnsupported("vh0"))
        // 4. position forms.
        let failing = probe()
        failing.setupError = .other("setup would fail")
        #expect(create(core, failing, FilterOptions(id: "x", netdev: "tap0", position: "bogus")) == .invalidPosition("bogus"))
        #expect(create(core, failing, FilterOptions(id: "x", netdev: "tap0", position: "id=ghost")) == .positionFilterNotFound("ghost"))
        #expect(create(core, failing, FilterOptions(id: "x", netdev: "tap0", position: "id=comp0")) == .positionIsNotAFilter("comp0", typeName: "colo-compare"))
        #expect(create(core, failing, FilterOptions(id: "x", netdev: "tap0", position: "id=elsewhere")) == .positionFilterOnDifferentNetdev("elsewhere", netdev: "tap1"))
        #expect(setup.journal.cleanups.isEmpty, "no setup ran, so no cleanup either")
        // 5. setup failure: not inserted, cleanup ran, id free again.
        #expect(create(core, failing, FilterOptions(id: "x", netdev: "tap0", position: "id=existing")) == .setupFailed(filter: "x", .other("setup would fail")))
        #expect(setup.journal.cleanups == ["x"])
        #expect(setup.filterOrder == ["existing"])
        #expect(core.filter(id: "x") == nil)
        try setup.addProbe("x")
        #expect(setup.filterOrder == ["existing", "x"])
    }

    @Test("F-1: error texts explain what QEMU's error means")
    func errorTexts() {
        #expect(FilterCreationError.netdevNotABackend("nic0", namesNIC: true).description.contains("guest NIC"))
        #expect(FilterCreationError.vhostUnsupported("v").description.contains("vhost"))
        #expect(FilterCreationError.positionIsNotAFilter("c", typeName: "colo-compare").description.contains("abort"))
    }

    // MARK: F-8

    @Test("F-8: setting the current status does nothing; a change runs the hook only once attached")
    func statusChanges() throws {
        let setup = try TapAndNIC()
        try setup.addProbe("a")
        let context = try #require(setup.core.filter(id: "a"))
        context.setStatus(.on)
        #expect(setup.journal.statusHooks.isEmpty)
        context.setStatus(.off)
        context.setStatus(.off)
        context.setStatus(.on)
        #expect(setup.journal.statusHooks == ["a=off", "a=on"])
        try setup.addProbe("b", status: .off)
        #expect(setup.journal.statusHooks == ["a=off", "a=on"], "initial status=off runs no hook")
    }

    // MARK: F-9 / F-10

    @Test("F-9: clients in creation order, filters in list order; first error stops the visit")
    func eventOrder() throws {
        let setup = try TapAndNIC()
        try setup.core.addNetdev(name: "tap1")
        try setup.addProbe("a")
        try setup.addProbe("head0", position: "head")
        try setup.core.addFilter(ProbeFilter(journal: setup.journal), options: FilterOptions(id: "c", netdev: "tap1"))
        try setup.core.notifyFilters(.checkpoint)
        #expect(setup.journal.events == ["head0:checkpoint", "a:checkpoint", "c:checkpoint"])
        #expect(setup.tap.filters.allSatisfy { $0.status == .on }, "F-10: checkpoint changes nothing")

        setup.journal.events = []
        let failing = try #require(setup.core.filter(id: "head0")?.filter as? ProbeFilter)
        failing.eventError = FilterEventError(filter: "head0", message: "refused")
        #expect(throws: FilterEventError(filter: "head0", message: "refused")) { try setup.core.notifyFilters(.failover) }
        #expect(setup.journal.events == ["head0:failover"])
    }

    @Test("F-10: the default failover hook turns every filter's status off")
    func failoverTurnsOff() throws {
        let setup = try TapAndNIC()
        try setup.addProbe("a")
        try setup.addProbe("b")
        try setup.core.notifyFilters(.failover)
        #expect(setup.tap.filters.map(\.status) == [.off, .off])
        #expect(setup.journal.statusHooks == ["a=off", "b=off"])
    }

    // MARK: F-11

    @Test("F-11: deleting runs cleanup, unlinks the filter and frees its id")
    func deletion() throws {
        let setup = try TapAndNIC()
        try setup.addProbe("a")
        try setup.addProbe("b")
        try setup.core.removeFilter(id: "a")
        #expect(setup.journal.cleanups == ["a"])
        #expect(setup.filterOrder == ["b"])
        #expect(throws: FilterRemovalError.notFound("a")) { try setup.core.removeFilter(id: "a") }
        try setup.core.registerObject(id: "iothread0", typeName: "iothread")
        #expect(throws: FilterRemovalError.notAFilter("iothread0")) { try setup.core.removeFilter(id: "iothread0") }
        setup.core.send(testFrame(1), from: setup.tap)
        #expect(setup.journal.visited == ["b"])
    }
}

@Suite("Net core lifetime")
struct NetCoreLifetimeTests {
    @Test("Releasing the net core releases its clients, filter contexts and filters (no reference cycle)")
    func releasesEverything() throws {
        weak var weakFilter: ProbeFilter?
        weak var weakContext: FilterContext?
        weak var weakClient: NetClient?
        do {
            let core = NetCore()
            let tap = try core.addNetdev(name: "tap0")
            try core.addNIC(name: "nic0", peer: "tap0")
            let filter = ProbeFilter(journal: ProbeJournal())
            let context = try core.addFilter(filter, options: FilterOptions(id: "a", netdev: "tap0"))
            weakFilter = filter
            weakContext = context
            weakClient = tap
        }
        #expect(weakFilter == nil)
        #expect(weakContext == nil)
        #expect(weakClient == nil)
    }
}
