import Testing
@testable import Fabric

/// QEMU's writers block (M-4, R-3): a filter's write to a full socket does not return until the
/// reader makes room, and the walk — with the process's main loop — waits inside it.
@Suite("Blocked chardev writers")
struct BlockedWriterTests {
    /// One host (tap0 ⟷ nic0) whose filter writes to `out0`, a socket whose reader has stopped
    /// reading; its buffer holds `capacity` bytes.
    final class Setup {
        let scheduler = Scheduler()
        let host: TapAndNIC
        let out0 = SocketChardev(id: "out0")
        let pipe: ChardevPipe

        init(capacity: Int) throws {
            host = try TapAndNIC()
            pipe = ChardevPipe(ChardevPipeConfiguration(writerID: "out0", readerID: "in0", capacity: capacity), scheduler: scheduler)
            out0.outgoing = pipe
            pipe.pauseReading()
            host.chardevs.add(out0)
            host.core.mainLoop = MainLoop(scheduler: scheduler)
        }
    }

    private func frame(_ n: Int) -> Frame {
        IPv4FrameBuilder(source: IPv4Address(10, 0, 0, 1), destination: IPv4Address(10, 0, 0, 2))
            .udp(sourcePort: 1000, destinationPort: 2000, payload: [UInt8](repeating: UInt8(n), count: 100))
    }

    @Test("M-4: a mirror whose socket is full blocks the walk and wedges the main loop; the frame reaches the guest once the reader makes room")
    func mirrorBlocks() throws {
        let setup = try Setup(capacity: 300)
        try setup.host.core.addFilter(FilterMirror(outdev: "out0"), options: FilterOptions(id: "m0", netdev: "tap0", queue: .tx))
        let first = setup.host.core.send(frame(1), from: setup.host.tap)
        let second = setup.host.core.send(frame(2), from: setup.host.tap)
        let third = setup.host.core.send(frame(3), from: setup.host.tap)
        #expect(first.fate == .delivered(to: "nic0") && second.fate == .delivered(to: "nic0"))
        #expect(third.fate == .blocked(in: "m0"))
        #expect(setup.host.core.mainLoop.isWedged)
        #expect(setup.host.guest.frames == [frame(1), frame(2)], "the frame waits in the mirror's write")
        #expect(setup.host.log.events.contains(.writeBlocked(third.walk, filter: "m0", direction: .tx, destination: "chardev out0")))
        var ran: [String] = []
        setup.host.core.mainLoop.run { ran.append("deferred work") }
        #expect(ran.isEmpty, "main-loop work waits while the loop is wedged")

        setup.pipe.resumeReading()
        try setup.scheduler.runUntilIdle()
        #expect(setup.host.guest.frames == [frame(1), frame(2), frame(3)])
        #expect(!setup.host.core.mainLoop.isWedged)
        #expect(ran == ["deferred work"])
        #expect(setup.host.core.mainLoop.wedges == 1)
        #expect(setup.host.log.events.contains(.walkResumed(third.walk, filter: "m0")))
        #expect(setup.host.log.events.contains(.sendCompleted(third.walk, sender: "tap0")), "the tap may read again")
        setup.host.expectEveryWalkAccountedFor()
    }

    @Test("R-3: a redirector blocked in its write takes the frame when the write ends, with the byte count")
    func redirectorBlocks() throws {
        let setup = try Setup(capacity: 200)
        let redirector = FilterRedirector(outdev: "out0")
        try setup.host.core.addFilter(redirector, options: FilterOptions(id: "r0", netdev: "tap0", queue: .tx))
        #expect(setup.host.core.send(frame(1), from: setup.host.tap).fate == .stolen(by: "r0", sendResult: frame(1).count))
        let blocked = setup.host.core.send(frame(2), from: setup.host.tap)
        #expect(blocked.fate == .blocked(in: "r0"))
        #expect(redirector.statistics.writesBlocked == 1)
        setup.pipe.resumeReading()
        try setup.scheduler.runUntilIdle()
        #expect(setup.host.log.events.contains(
            .filterStole(blocked.walk, filter: "r0", direction: .tx, sendResult: frame(2).count,
                         output: FilterOutput(destination: "chardev out0", result: .written(bytes: frame(2).count)))))
        #expect(setup.host.guest.frames.isEmpty)
        #expect(!setup.host.core.mainLoop.isWedged)
    }

    @Test("R-3: a blocked write whose socket is reset fails: the redirector takes the frame with -1 and the loop is free")
    func blockedWriteFailsOnReset() throws {
        let setup = try Setup(capacity: 200)
        try setup.host.core.addFilter(FilterRedirector(outdev: "out0"), options: FilterOptions(id: "r0", netdev: "tap0", queue: .tx))
        setup.host.core.send(frame(1), from: setup.host.tap)
        let blocked = setup.host.core.send(frame(2), from: setup.host.tap)
        setup.pipe.disconnect(.reset)
        try setup.scheduler.runUntilIdle()
        let stole = setup.host.log.events.contains { event in
            if case .filterStole(blocked.walk, "r0", .tx, -1, _) = event { true } else { false }
        }
        #expect(stole)
        #expect(!setup.host.core.mainLoop.isWedged)
        #expect(setup.out0.counters.writesFailedDisconnected == 1)
    }

    @Test("M-4 (fixed): with writers that never block the walk goes on at once and the record waits in the backlog")
    func fixedWritersNeverBlock() throws {
        let setup = try Setup(capacity: 300)
        setup.out0.writerBlocking = .fixed
        try setup.host.core.addFilter(FilterMirror(outdev: "out0"), options: FilterOptions(id: "m0", netdev: "tap0", queue: .tx))
        for n in 1...3 { #expect(setup.host.core.send(frame(n), from: setup.host.tap).fate == .delivered(to: "nic0")) }
        #expect(!setup.host.core.mainLoop.isWedged)
        #expect(setup.out0.backlog.count == 1)
    }
}
