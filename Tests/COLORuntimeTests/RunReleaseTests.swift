import Testing
@testable import Fabric
@testable import COLORuntime
@testable import Primary

/// Issue #19, bounded memory: a finished run lets go of everything it built. A net client and
/// its endpoint hold each other, and timers still queued hold the components that hold the
/// scheduler; left alone, each run of a fuzz campaign kept about 22 KB for good.
@Suite("A finished run is released")
struct RunReleaseTests {
    final class Watched {
        weak var object: AnyObject?
        let name: String
        init(_ object: AnyObject, _ name: String) {
            self.object = object
            self.name = name
        }
    }

    @Test("After a run, its scheduler, net cores, guests, taps, pipes, chardevs and filters are all freed",
          arguments: [false, true])
    func everythingFreed(losingThePrimary: Bool) throws {
        var watched: [Watched] = []
        do {
            var configuration = COLORunConfiguration.defaultScenario
            configuration.duration = .seconds(2)
            configuration.measuresBaseline = false
            if losingThePrimary { configuration.timeline.append(TimelineEvent(at: .milliseconds(500), .losePrimary)) }
            let world = try COLOWorld(configuration: configuration, chooser: SeededChooser(seed: 1), simultaneousOrder: .insertion,
                                      outputs: RunOutputs())
            _ = world.run(losing: nil)
            watched.append(Watched(world.scheduler, "scheduler"))
            for link in world.pipes {
                watched += [Watched(link.pipe, "pipe \(link.writer)"), Watched(link.writerPort, "port \(link.writer)"),
                            Watched(link.readerPort, "port \(link.reader)")]
            }
            for host in [world.primary, world.secondary] {
                watched += [Watched(host.core, "\(host.role) net core"), Watched(host.guest, "\(host.role) guest")]
                watched += host.taps.map { Watched($0, "\(host.role) tap") } + host.compares.map { Watched($0, "\(host.role) compare") }
                watched += host.redirectors.map { Watched($0.filter, $0.id) } + host.mirrors.map { Watched($0.filter, $0.id) }
                watched += host.rewriters.map { Watched($0.filter, $0.id) }
            }
        }
        let alive = watched.filter { $0.object != nil }.map(\.name)
        #expect(alive.isEmpty, "still alive after the run: \(alive)")
    }
}
