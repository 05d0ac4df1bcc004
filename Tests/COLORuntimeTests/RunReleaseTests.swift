import Testing
@testable import Fabric
@testable import GuestStack
@testable import Deployment
@testable import COLORuntime

/// A finished run frees everything it built. The FuzzOrderings libFuzzer target (AddressSanitizer's
/// leak check) found every run leaking its scheduler, guests, taps and net clients: a NIC and a
/// tap held their net client, whose endpoint they are, and queued events held guests and
/// timers, which hold the scheduler. A campaign of a million runs grew by gigabytes.
@Suite("A finished run frees its objects")
struct RunReleaseTests {
    @Test("after a run stopped with events still queued, the world, scheduler, hosts, net cores, guests, client and controller are freed",
          arguments: [false, true])
    func everythingFreed(losesPrimary: Bool) throws {
        var configuration = TopologyRuns.requests(connections: 1, exchanges: 3)
        configuration.endsWhenWorkloadCompletes = false
        configuration.duration = .milliseconds(300)
        if losesPrimary { configuration.timeline = [TimelineEvent(at: .milliseconds(100), .losePrimary)] }
        weak var world: COLOWorld?
        weak var scheduler: Scheduler?
        weak var primary: HostRuntime?
        weak var core: NetCore?
        weak var guest: GuestMachine?
        weak var client: ClientMachine?
        weak var controller: COLOController?
        var pendingAtEnd = 0
        do {
            let made = try COLOWorld(
                configuration: configuration, chooser: SeededChooser(seed: 3), simultaneousOrder: .chosen, outputs: RunOutputs())
            _ = made.run()
            pendingAtEnd = made.scheduler.pendingEventCount
            (world, scheduler, primary, core, guest, client, controller) =
                (made, made.scheduler, made.primary, made.primary.core, made.secondary.guest, made.client, made.controller)
        }
        #expect(pendingAtEnd > 0, "the run should stop with events queued, the case that leaked")
        #expect(world == nil)
        #expect(scheduler == nil)
        #expect(primary == nil)
        #expect(core == nil)
        #expect(guest == nil)
        #expect(client == nil)
        #expect(controller == nil)
    }
}
