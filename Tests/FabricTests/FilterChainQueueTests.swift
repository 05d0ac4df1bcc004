import Testing
@testable import Fabric

/// An endpoint that can say "not now" on demand.
final class DeferringEndpoint: NetEndpoint {
    var deferNext = 0
    var refuseAll = false
    var received: [Frame] = []

    func canReceive() -> Bool { true }

    func receive(_ frame: Frame, from sender: NetClient) -> EndpointReceipt {
        if refuseAll { return .refused }
        if deferNext > 0 {
            deferNext -= 1
            return .deferred
        }
        received.append(frame)
        return .accepted
    }
}

@Suite("Incoming queues (F-12…F-14)")
struct FilterChainQueueTests {
    @Test("F-12/F-14: while the VM is stopped frames wait in the receiver's queue; starting flushes them in order")
    func vmStoppedQueues() throws {
        let setup = try TapAndNIC()
        setup.core.setVMRunning(false)
        let first = setup.core.send(testFrame(1), from: setup.nic)
        let second = setup.core.send(testFrame(2), from: setup.nic)
        #expect(first.fate == .queued(at: "tap0"))
        #expect(first.returnValue == 0)
        #expect(second.fate == .queued(at: "tap0"))
        #expect(setup.tap.queuedFrames == [testFrame(1), testFrame(2)])
        #expect(setup.wire.frames.isEmpty)
        setup.core.setVMRunning(true)
        #expect(setup.wire.frames == [testFrame(1), testFrame(2)])
        #expect(setup.tap.queuedFrameCount == 0)
        #expect(setup.log.events.contains(.delivered(first.walk, client: "tap0", fromQueue: true)))
        #expect(setup.log.events.contains(.sendCompleted(first.walk, sender: "nic0")))
        setup.expectEveryWalkAccountedFor()
    }

    @Test("F-12 / K-5: an injected release while the VM is stopped waits in the tap's queue until the VM starts")
    func injectedReleaseWaits() throws {
        let setup = try TapAndNIC()
        try setup.addProbe("redire0", queue: .rx)
        let x = try #require(setup.core.filter(id: "redire0"))
        setup.core.setVMRunning(false)
        let outcome = try #require(x.passToNext(testFrame(3), nominalSender: setup.nic))
        #expect(outcome.fate == .queued(at: "tap0"))
        #expect(outcome.returnValue == 64, "pass-to-next always reports the full size")
        #expect(setup.wire.frames.isEmpty)
        setup.core.setVMRunning(true)
        #expect(setup.wire.frames == [testFrame(3)])
        #expect(!setup.log.events.contains(.sendCompleted(outcome.walk, sender: "nic0")), "injections carry no completion")
    }

    @Test("F-12: a receiver that cannot receive makes frames queue; a flush delivers them")
    func receiverCannotReceive() throws {
        let setup = try TapAndNIC()
        setup.guest.acceptsFrames = false
        let outcome = setup.core.send(testFrame(4), from: setup.tap)
        #expect(outcome.fate == .queued(at: "nic0"))
        #expect(setup.log.events.contains(.queued(outcome.walk, client: "nic0", depth: 1, reason: .receiverCannotReceive)))
        setup.guest.acceptsFrames = true
        setup.core.flushQueuedFrames(of: setup.nic)
        #expect(setup.guest.frames == [testFrame(4)])
    }

    @Test("F-12: 10 000 waiting injections fill the queue; the next one is dropped and counted; sends with completion are not capped")
    func queueCap() throws {
        let setup = try TapAndNIC()
        try setup.addProbe("X", queue: .tx)
        let x = try #require(setup.core.filter(id: "X"))
        setup.core.setVMRunning(false)
        for _ in 0..<10_000 {
            x.passToNext(testFrame(5, count: 1), nominalSender: setup.tap)
        }
        #expect(setup.nic.queuedFrameCount == 10_000)
        let overflow = try #require(x.passToNext(testFrame(6, count: 1), nominalSender: setup.tap))
        #expect(overflow.fate == .dropped(.queueFull))
        #expect(setup.core.counters.dropped(.queueFull) == 1)
        let withCompletion = setup.core.send(testFrame(7, count: 1), from: setup.tap)
        #expect(withCompletion.fate == .queued(at: "nic0"))
        #expect(setup.nic.queuedFrameCount == 10_001)
        setup.core.setVMRunning(true)
        #expect(setup.guest.frames.count == 10_001)
        setup.expectEveryWalkAccountedFor()
    }

    @Test("F-13 (quirk): a deliverable new frame overtakes older waiting ones; the fifo profile keeps order")
    func flushAfterDeliveryReorders() throws {
        for ordering in [NetQueueOrdering.qemu, .fifo] {
            let setup = try TapAndNIC(queueOrdering: ordering)
            setup.guest.acceptsFrames = false
            setup.core.send(testFrame(1), from: setup.tap)
            setup.core.send(testFrame(2), from: setup.tap)
            setup.guest.acceptsFrames = true  // nobody flushed yet
            let third = setup.core.send(testFrame(3), from: setup.tap)
            #expect(third.fate == .delivered(to: "nic0"))
            let order = setup.guest.frames
            switch ordering {
            case .qemu: #expect(order == [testFrame(3), testFrame(1), testFrame(2)])
            case .fifo: #expect(order == [testFrame(1), testFrame(2), testFrame(3)])
            }
            setup.expectEveryWalkAccountedFor()
        }
    }

    @Test("F-12: an endpoint that defers a frame disables receiving; later frames queue until a flush")
    func deferredFrameDisablesReceive() throws {
        let core = NetCore()
        let endpoint = DeferringEndpoint()
        let tap = try core.addNetdev(name: "tap0", endpoint: endpoint)
        let nic = try core.addNIC(name: "nic0", peer: "tap0")
        endpoint.deferNext = 1
        let first = core.send(testFrame(1), from: nic)
        #expect(first.fate == .queued(at: "tap0"))
        #expect(tap.isReceiveDisabled)
        let second = core.send(testFrame(2), from: nic)
        #expect(second.fate == .queued(at: "tap0"))
        core.flushQueuedFrames(of: tap)
        #expect(endpoint.received == [testFrame(1), testFrame(2)])
        #expect(!tap.isReceiveDisabled)
    }

    @Test("F-14: stopping the VM flushes each client's queue and purges what still cannot be delivered")
    func stopPurges() throws {
        let core = NetCore()
        let log = NetHopLog()
        core.eventSink = log
        let endpoint = DeferringEndpoint()
        let tap = try core.addNetdev(name: "tap0", endpoint: endpoint)
        let nic = try core.addNIC(name: "nic0", peer: "tap0")
        endpoint.deferNext = 3
        core.send(testFrame(1), from: nic)
        core.send(testFrame(2), from: nic)
        #expect(tap.queuedFrameCount == 2)
        core.setVMRunning(false)
        #expect(tap.queuedFrameCount == 0)
        #expect(core.counters.dropped(.purgedOnVMStop) == 2)
        #expect(endpoint.received.isEmpty)
    }

    @Test("F-14: stopping the VM delivers what can be delivered")
    func stopDelivers() throws {
        let setup = try TapAndNIC()
        setup.guest.acceptsFrames = false
        setup.core.send(testFrame(1), from: setup.tap)
        setup.guest.acceptsFrames = true
        setup.core.setVMRunning(false)
        #expect(setup.guest.frames == [testFrame(1)])
    }

    @Test("A refusing endpoint's frames are dropped and counted")
    func refusedFrames() throws {
        let core = NetCore()
        let endpoint = DeferringEndpoint()
        endpoint.refuseAll = true
        try core.addNetdev(name: "tap0", endpoint: endpoint)
        let nic = try core.addNIC(name: "nic0", peer: "tap0")
        #expect(core.send(testFrame(1), from: nic).fate == .dropped(.receiverRefused))
        #expect(core.counters.dropped(.receiverRefused) == 1)
    }

    @Test("F-12: a frame sent while its receiver is mid-delivery is queued, then flushed right after")
    func reentrantSend() throws {
        final class Echo: NetEndpoint {
            weak var core: NetCore?
            weak var nic: NetClient?
            var received: [Frame] = []
            func canReceive() -> Bool { true }
            func receive(_ frame: Frame, from sender: NetClient) -> EndpointReceipt {
                received.append(frame)
                // Another frame for the tap while its queue is still delivering the first one.
                if frame.bytes.first == 1, let core, let nic {
                    core.send(testFrame(2), from: nic)
                }
                return .accepted
            }
        }
        let core = NetCore()
        let echo = Echo()
        let tap = try core.addNetdev(name: "tap0", endpoint: echo)
        let nic = try core.addNIC(name: "nic0", peer: "tap0")
        echo.core = core
        echo.nic = nic
        let log = NetHopLog()
        core.eventSink = log
        core.send(testFrame(1), from: nic)
        #expect(echo.received == [testFrame(1), testFrame(2)])
        #expect(tap.queuedFrameCount == 0)
        #expect(log.events.contains { if case .queued(_, "tap0", 1, .deliveryInProgress) = $0 { true } else { false } })
    }
}
