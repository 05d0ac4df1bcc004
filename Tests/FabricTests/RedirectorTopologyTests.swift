import Testing
@testable import Fabric

/// The documented COLO filter lists (§10) built from the real mirror and redirectors.
@Suite("Reference topology walks (T-1…T-5)")
struct RedirectorTopologyTests {
    struct Primary {
        let setup: TapAndNIC
        let mirror0: RecordingChardev
        let primaryIn: RecordingChardev
        let redire0: FilterRedirector

        init() throws {
            setup = try TapAndNIC()
            mirror0 = setup.addChardev("mirror0")
            setup.addChardev("compare_out")
            primaryIn = setup.addChardev("primary_in")
            try setup.core.addFilter(FilterMirror(outdev: "mirror0"), options: FilterOptions(id: "m0", netdev: "tap0", queue: .tx))
            redire0 = FilterRedirector(indev: "compare_out")
            try setup.core.addFilter(redire0, options: FilterOptions(id: "redire0", netdev: "tap0", queue: .rx))
            try setup.core.addFilter(FilterRedirector(outdev: "primary_in"), options: FilterOptions(id: "redire1", netdev: "tap0", queue: .rx))
        }

        func hops(_ walk: WalkID) -> [String] {
            setup.log.events(of: walk).compactMap { event in
                switch event {
                case .filterSkipped(_, let filter, _, _): "\(filter):skip"
                case .filterPassed(_, let filter, _): "\(filter):pass"
                case .filterCopied(_, let filter, _, _): "\(filter):copy"
                case .filterStole(_, let filter, _, _, _): "\(filter):steal"
                case .delivered(_, let client, _): "→\(client)"
                case .queued(_, let client, _, _): "queued@\(client)"
                default: nil
                }
            }
        }
    }

    @Test("T-1: client → guest on P: m0 copies to S, both redirectors skip, the guest receives")
    func clientToGuest() throws {
        let p = try Primary()
        let walk = p.setup.core.send(testFrame(1), from: p.setup.tap).walk
        #expect(p.hops(walk) == ["m0:copy", "redire0:skip", "redire1:skip", "→nic0"])
        #expect(p.mirror0.records.map(\.payload) == [testFrame(1).bytes])
    }

    @Test("T-2: P guest → client: redire1 steals into primary_in; redire0 and m0 are never reached")
    func guestToCompare() throws {
        let p = try Primary()
        let walk = p.setup.core.send(testFrame(2), from: p.setup.nic).walk
        #expect(p.hops(walk) == ["redire1:steal"])
        #expect(p.primaryIn.records.map(\.payload) == [testFrame(2).bytes])
        #expect(p.setup.wire.frames.isEmpty)
    }

    @Test("T-4: a compare release read by redire0 goes backwards past m0 (tx only) to the tap, never to redire1")
    func releaseToWire() throws {
        let p = try Primary()
        let outcomes = p.redire0.indevDidReceive(testFrame(3))
        #expect(outcomes.count == 1)
        let walk = try #require(outcomes.first).walk
        #expect(p.hops(walk) == ["m0:skip", "→tap0"])
        #expect(p.setup.wire.frames == [testFrame(3)])
        #expect(p.primaryIn.records.isEmpty)
    }

    @Test("K-5 / F-12 / F-14: releases during a checkpoint wait in the tap's queue and reach the wire when P restarts")
    func releaseDuringCheckpoint() throws {
        let p = try Primary()
        p.setup.core.setVMRunning(false)
        let walk = try #require(p.redire0.indevDidReceive(testFrame(4)).first).walk
        #expect(p.hops(walk) == ["m0:skip", "queued@tap0"])
        #expect(p.setup.wire.frames.isEmpty)
        p.setup.core.setVMRunning(true)
        #expect(p.setup.wire.frames == [testFrame(4)])
        p.setup.expectEveryWalkAccountedFor()
    }

    @Test("T-1/T-3/T-5 on S: f1 injects toward the guest through rew0; guest output passes rew0 and f2 steals it")
    func secondary() throws {
        let setup = try TapAndNIC()
        setup.addChardev("from_mirror")
        let secondaryIn = setup.addChardev("secondary_in")
        let f1 = FilterRedirector(indev: "from_mirror")
        try setup.core.addFilter(f1, options: FilterOptions(id: "f1", netdev: "tap0", queue: .tx))
        try setup.core.addFilter(FilterRedirector(outdev: "secondary_in"), options: FilterOptions(id: "f2", netdev: "tap0", queue: .rx))
        try setup.addProbe("rew0", queue: .all, behaviour: .stealAndReinject { $0 })

        // T-1: injected as netdev-sent, continues after f1: f2 skipped, rew0 sees tx.
        let injected = try #require(f1.indevDidReceive(testFrame(5)).first)
        #expect(setup.journal.calls.map(\.description) == ["rew0/tx"])
        #expect(injected.fate == .stolen(by: "rew0", sendResult: 64))
        #expect(setup.guest.frames == [testFrame(5)])

        // T-3: S guest output, rx: rew0 first (tail), re-injects backwards, f2 steals.
        setup.journal.calls = []
        setup.core.send(testFrame(6), from: setup.nic)
        #expect(setup.journal.calls.map(\.description) == ["rew0/rx"])
        #expect(secondaryIn.records.map(\.payload) == [testFrame(6).bytes])
        #expect(setup.wire.frames.isEmpty, "S guest output never reaches S's tap while f2 is active")

        // T-5: S's own tap traffic flows tx through f1 (no outdev, transparent), f2 skipped, rew0.
        setup.journal.calls = []
        setup.core.send(testFrame(7), from: setup.tap)
        #expect(setup.journal.calls.map(\.description) == ["rew0/tx"])
        #expect(setup.guest.frames == [testFrame(5), testFrame(7)])
        setup.expectEveryWalkAccountedFor()
    }
}
