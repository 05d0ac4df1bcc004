import Testing
@testable import Fabric

@Suite("filter-redirector (R-1…R-9, W-11)")
struct RedirectorTests {
    @discardableResult
    func addRedirector(_ setup: TapAndNIC, id: String = "r0", indev: String? = nil, outdev: String? = nil,
                       queue: FilterQueue = .all, status: FilterStatus = .on, vnet: Bool = false,
                       version: QEMUNetVersion = .upstream, position: String = "tail") throws -> FilterRedirector {
        let redirector = FilterRedirector(indev: indev, outdev: outdev, vnetHeaderSupport: vnet, version: version)
        try setup.core.addFilter(redirector, options: FilterOptions(id: id, netdev: "tap0", queue: queue, status: status, position: position))
        return redirector
    }

    // MARK: R-2

    @Test("R-2: setup errors in QEMU's order; a half-done setup releases the indev")
    func setupOrder() throws {
        let setup = try TapAndNIC()
        func failure(indev: String?, outdev: String?) -> FilterSetupError? {
            do {
                try addRedirector(setup, indev: indev, outdev: outdev)
                return nil
            } catch let error as FilterCreationError {
                if case .setupFailed(_, let setupError) = error { return setupError }
                return .other("\(error)")
            } catch {
                return .other("\(error)")
            }
        }
        #expect(failure(indev: nil, outdev: nil) == .redirectorNeedsIndevOrOutdev)
        #expect(failure(indev: "same", outdev: "same") == .redirectorIndevEqualsOutdev("same"))
        #expect(failure(indev: "in0", outdev: "out0") == .chardevNotFound(id: "in0", role: .redirectorIndev))
        let indev = setup.addChardev("in0")
        #expect(failure(indev: "in0", outdev: "out0") == .chardevNotFound(id: "out0", role: .redirectorOutdev))
        #expect(indev.frontendOwner == nil, "cleanup after the failed setup released the IN device")
        #expect(!indev.readHandlersInstalled)
        setup.addChardev("out0")
        try addRedirector(setup, id: "owner", outdev: "out0")
        #expect(failure(indev: "in0", outdev: "out0") == .chardevAttachFailed(
            id: "out0", role: .redirectorOutdev, reason: .alreadyInUse(chardev: "out0", owner: "owner")))
        #expect(failure(indev: "out0", outdev: nil) == .chardevAttachFailed(
            id: "out0", role: .redirectorIndev, reason: .alreadyInUse(chardev: "out0", owner: "owner")))
    }

    // MARK

    @Test("R-3: with an outdev the frame is written and taken: later filters and the peer never see it; the sender gets the byte count")
    func stealsIntoOutdev() throws {
        let setup = try TapAndNIC()
        let out = setup.addChardev("out0")
        let redirector = try addRedirector(setup, outdev: "out0", queue: .rx)
        try setup.addProbe("before", queue: .rx, position: "head")
        let outcome = setup.core.send(testFrame(1, count: 80), from: setup.nic)
        #expect(outcome.fate == .stolen(by: "r0", sendResult: 80))
        #expect(outcome.returnValue == 80)
        #expect(out.records.map(\.payload) == [testFrame(1, count: 80).bytes])
        #expect(setup.journal.calls.isEmpty, "rx walks tail → head: 'before' sits earlier in the list, so after r0 in the walk")
        #expect(setup.wire.frames.isEmpty)
        #expect(redirector.statistics.framesStolen == 1)
        setup.expectEveryWalkAccountedFor()
    }

    @Test("R-3: a failed write (a disconnected outdev socket) still consumes the frame; the sender gets -1, whatever the errno")
    func failedWriteStillSteals() throws {
        let setup = try TapAndNIC()
        let out = setup.addChardev("out0")
        // A socket chardev that is not connected fails with -1 and errno EIO; QEMU 7.2 logs
        // "filter redirector send failed(Operation not permitted)", strerror(1) of that -1.
        out.failWritesWithErrno = 5
        let redirector = try addRedirector(setup, outdev: "out0")
        let outcome = setup.core.send(testFrame(2), from: setup.tap)
        #expect(outcome.fate == .stolen(by: "r0", sendResult: -1))
        #expect(outcome.returnValue == -1)
        #expect(setup.guest.frames.isEmpty)
        #expect(redirector.statistics.writeFailures == 1)
    }

    @Test("R-3: a zero-length frame yields 0 and continues, with no record written")
    func zeroLengthContinues() throws {
        let setup = try TapAndNIC()
        let out = setup.addChardev("out0")
        let redirector = try addRedirector(setup, outdev: "out0")
        try setup.addProbe("after")
        let outcome = setup.core.send(Frame([]), from: setup.tap)
        #expect(outcome.fate == .delivered(to: "nic0"))
        #expect(out.records.isEmpty)
        #expect(setup.journal.visited == ["after"])
        #expect(redirector.statistics.emptyFramesPassed == 1)
    }

    @Test("R-4: without an outdev the redirector is transparent")
    func transparentWithoutOutdev() throws {
        let setup = try TapAndNIC()
        setup.addChardev("in0")
        try addRedirector(setup, indev: "in0")
        #expect(setup.core.send(testFrame(3), from: setup.tap).fate == .delivered(to: "nic0"))
        #expect(setup.core.send(testFrame(4), from: setup.nic).fate == .delivered(to: "tap0"))
    }

    @Test("W-3 / R-3: outdev records carry the netdev's current V when vnet_hdr_support is on")
    func outdevVnetField() throws {
        let setup = try TapAndNIC(tapVnetHeaderLength: 12)
        let out = setup.addChardev("out0")
        try addRedirector(setup, outdev: "out0", vnet: true)
        setup.core.send(Frame(testFrame(5).bytes, vnetHeaderLength: 0), from: setup.nic)
        #expect(out.records.map(\.vnetHeaderLength) == [12])
    }

    // MARK

    /// a, R, c on tap0; R reads in0.
    func injectionChain(queue: FilterQueue) throws -> (TapAndNIC, FilterRedirector) {
        let setup = try TapAndNIC()
        setup.addChardev("in0")
        try setup.addProbe("a")
        let redirector = try addRedirector(setup, indev: "in0", queue: queue)
        try setup.addProbe("c")
        return (setup, redirector)
    }

    @Test("R-5: queue=tx injects as if the netdev sent it: filters after the redirector, then the NIC")
    func injectTx() throws {
        let (setup, redirector) = try injectionChain(queue: .tx)
        let outcomes = redirector.indevDidReceive(testFrame(6))
        #expect(outcomes.map(\.fate) == [.delivered(to: "nic0")])
        #expect(setup.journal.calls.map(\.description) == ["c/tx"])
        #expect(setup.journal.calls.map(\.sender) == ["tap0"])
        #expect(setup.guest.frames == [testFrame(6)])
    }

    @Test("R-2: setup installs the redirector's own reader on its indev: a record the chardev reads is injected")
    func readsItsIndevBySetup() throws {
        let setup = try TapAndNIC()
        let input = setup.addChardev("in0")
        let redirector = try addRedirector(setup, indev: "in0", queue: .tx)
        #expect(input.receive(testFrame(18)))
        #expect(setup.guest.frames == [testFrame(18)])
        #expect(redirector.statistics.indevFramesReceived == 1)
    }

    @Test("R-5: queue=rx injects as if the NIC sent it: filters before the redirector, backwards, then the netdev")
    func injectRx() throws {
        let (setup, redirector) = try injectionChain(queue: .rx)
        let outcomes = redirector.indevDidReceive(testFrame(7))
        #expect(outcomes.map(\.fate) == [.delivered(to: "tap0")])
        #expect(setup.journal.calls.map(\.description) == ["a/rx"])
        #expect(setup.journal.calls.map(\.sender) == ["nic0"])
        #expect(setup.wire.frames == [testFrame(7)])
    }

    @Test("R-5: queue=all injects every record twice, once each way, tx first")
    func injectAllTwice() throws {
        let (setup, redirector) = try injectionChain(queue: .all)
        let outcomes = redirector.indevDidReceive(testFrame(8))
        #expect(outcomes.map(\.fate) == [.delivered(to: "nic0"), .delivered(to: "tap0")])
        #expect(setup.journal.calls.map(\.description) == ["c/tx", "a/rx"])
        #expect(setup.guest.frames == [testFrame(8)])
        #expect(setup.wire.frames == [testFrame(8)])
        #expect(redirector.statistics.injections == 2)
        #expect(redirector.statistics.indevFramesReceived == 1)
        setup.expectEveryWalkAccountedFor()
    }

    @Test("R-6: the injected frame never passes through the injecting redirector, even when it would steal")
    func injectionBypassesItself() throws {
        let setup = try TapAndNIC()
        setup.addChardev("in0")
        let out = setup.addChardev("out0")
        let redirector = try addRedirector(setup, indev: "in0", outdev: "out0", queue: .all)
        let outcomes = redirector.indevDidReceive(testFrame(9))
        #expect(outcomes.map(\.fate) == [.delivered(to: "nic0"), .delivered(to: "tap0")])
        #expect(out.records.isEmpty)
    }

    @Test("R-5: the record's V is ignored; the injected frame carries the netdev's current V, bytes verbatim")
    func injectedVnet() throws {
        let setup = try TapAndNIC(tapVnetHeaderLength: 12)
        setup.addChardev("in0")
        let redirector = try addRedirector(setup, indev: "in0", queue: .tx)
        redirector.indevDidReceive(Frame(testFrame(10).bytes, vnetHeaderLength: 3))
        #expect(setup.guest.frames == [Frame(testFrame(10).bytes, vnetHeaderLength: 12)])
    }

    @Test("R-5 / F-7: injecting toward a netdev without NIC drops the frame and counts it")
    func injectWithoutPeer() throws {
        let core = NetCore()
        let chardevs = ChardevRegistry([RecordingChardev(id: "in0")])
        core.chardevs = chardevs
        try core.addNetdev(name: "tap0")
        let redirector = FilterRedirector(indev: "in0")
        try core.addFilter(redirector, options: FilterOptions(id: "r0", netdev: "tap0", queue: .all))
        let outcomes = redirector.indevDidReceive(testFrame(11))
        #expect(outcomes.map(\.fate) == [.dropped(.noReceiverForInjection), .dropped(.noReceiverForInjection)])
        #expect(core.counters.dropped(.noReceiverForInjection) == 2)
    }

    // MARK: Version differences (R-7, R-8, W-11, §12)

    @Test("R-2.4 / §12: created with status=off, upstream does not read indev until enabled; 7.2 reads anyway")
    func createdOff() throws {
        for version in [QEMUNetVersion.upstream, .qemu72] {
            let setup = try TapAndNIC()
            let port = setup.addChardev("in0")
            let redirector = try addRedirector(setup, indev: "in0", queue: .tx, status: .off, version: version)
            #expect(redirector.isReadingIndev == (version == .qemu72), "\(version)")
            #expect(port.readHandlersInstalled == (version == .qemu72), "\(version)")
            let outcomes = redirector.indevDidReceive(testFrame(12))
            #expect(outcomes.count == (version == .qemu72 ? 1 : 0), "\(version)")
            #expect(redirector.statistics.indevFramesRefused == (version == .qemu72 ? 0 : 1), "\(version)")
            try #require(setup.core.filter(id: "r0")).setStatus(.on)
            #expect(redirector.isReadingIndev, "\(version)")
            #expect(port.readHandlersInstalled, "\(version)")
        }
    }

    @Test("R-8: upstream status off detaches indev and on re-attaches; 7.2 status only stops stealing, injection goes on")
    func statusToggles() throws {
        for version in [QEMUNetVersion.upstream, .qemu72] {
            let setup = try TapAndNIC()
            let port = setup.addChardev("in0")
            let out = setup.addChardev("out0")
            let redirector = try addRedirector(setup, indev: "in0", outdev: "out0", queue: .rx, version: version)
            let context = try #require(setup.core.filter(id: "r0"))
            context.setStatus(.off)
            #expect(redirector.isReadingIndev == (version == .qemu72), "\(version)")
            #expect(port.readHandlersInstalled == (version == .qemu72), "\(version)")
            // Stealing stops in both versions (F-5): guest output now reaches the tap.
            #expect(setup.core.send(testFrame(13), from: setup.nic).fate == .delivered(to: "tap0"), "\(version)")
            #expect(out.records.isEmpty, "\(version)")
            #expect(redirector.indevDidReceive(testFrame(14)).count == (version == .qemu72 ? 1 : 0), "\(version)")
            context.setStatus(.on)
            #expect(redirector.isReadingIndev, "\(version)")
            #expect(redirector.indevDidReceive(testFrame(15)).count == 1, "\(version)")
        }
    }

    @Test("R-7: upstream stops reading on close and resumes on reopen; 7.2 never reads again after a close")
    func closeAndReopen() throws {
        for version in [QEMUNetVersion.upstream, .qemu72] {
            let setup = try TapAndNIC()
            let port = setup.addChardev("in0")
            let redirector = try addRedirector(setup, indev: "in0", queue: .tx, version: version)
            redirector.indevChardevClosed()
            #expect(!redirector.isReadingIndev, "\(version)")
            #expect(!port.readHandlersInstalled, "\(version)")
            redirector.indevChardevOpened()
            #expect(redirector.isReadingIndev == (version == .upstream), "\(version)")
            #expect(port.readHandlersInstalled == (version == .upstream), "\(version)")
        }
    }

    @Test("R-7: upstream does not resume on reopen while status is off; turning it on resumes")
    func reopenWhileOff() throws {
        let setup = try TapAndNIC()
        setup.addChardev("in0")
        let redirector = try addRedirector(setup, indev: "in0", queue: .tx)
        let context = try #require(setup.core.filter(id: "r0"))
        redirector.indevChardevClosed()
        context.setStatus(.off)
        redirector.indevChardevOpened()
        #expect(!redirector.isReadingIndev)
        context.setStatus(.on)
        #expect(redirector.isReadingIndev)
    }

    @Test("W-11: a framing error stops reading; reopening does not resume; upstream resumes on a status off→on toggle, 7.2 never")
    func framingError() throws {
        for version in [QEMUNetVersion.upstream, .qemu72] {
            let setup = try TapAndNIC()
            setup.addChardev("in0")
            let redirector = try addRedirector(setup, indev: "in0", queue: .tx, version: version)
            let context = try #require(setup.core.filter(id: "r0"))
            redirector.indevFramingError()
            #expect(!redirector.isReadingIndev, "\(version)")
            redirector.indevChardevClosed()
            redirector.indevChardevOpened()
            #expect(!redirector.isReadingIndev, "\(version): the event handler went with the error")
            context.setStatus(.off)
            context.setStatus(.on)
            #expect(redirector.isReadingIndev == (version == .upstream), "\(version)")
            #expect(redirector.statistics.framingErrors == 1)
            #expect(setup.log.events.contains(.indevReading(filter: "r0", attached: false, cause: .framingError)))
        }
    }

    @Test("R-9: failover stops stealing in both versions and, upstream only, stops injecting")
    func failover() throws {
        for version in [QEMUNetVersion.upstream, .qemu72] {
            let setup = try TapAndNIC()
            setup.addChardev("in0")
            setup.addChardev("out0")
            let redirector = try addRedirector(setup, indev: "in0", outdev: "out0", queue: .rx, version: version)
            try setup.core.notifyFilters(.failover)
            #expect(setup.core.send(testFrame(16), from: setup.nic).fate == .delivered(to: "tap0"), "\(version)")
            #expect(redirector.isReadingIndev == (version == .qemu72), "\(version)")
            try setup.core.notifyFilters(.checkpoint)
            #expect(setup.core.filter(id: "r0")?.status == .off)
        }
    }

    @Test("F-11: deleting a redirector detaches indev reading and frees both chardevs")
    func deletion() throws {
        let setup = try TapAndNIC()
        let input = setup.addChardev("in0")
        let output = setup.addChardev("out0")
        let redirector = try addRedirector(setup, indev: "in0", outdev: "out0")
        try setup.core.removeFilter(id: "r0")
        #expect(!input.readHandlersInstalled)
        #expect(input.frontendOwner == nil && output.frontendOwner == nil)
        #expect(!input.receive(testFrame(17)), "the reader went with the frontend")
        #expect(redirector.indevDidReceive(testFrame(17)).isEmpty)
    }
}
