import Foundation
import Testing
@testable import Fabric
@testable import COLORuntime
import Scenarios

/// A run that ends with a host wedged in a blocked write frees what it built. FuzzOrderings'
/// leak check found these runs leaking their whole object graph: the blocked write's suspended
/// walk and the work waiting for the main loop held the net core that held them.
@Suite("A run ending wedged is released")
struct WedgedRunReleaseTests {
    static let library = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios").path

    @Test("the world, scheduler, net cores and main loops of a run ending wedged are freed",
          arguments: ["dead-input-wedges-secondary", "indev-disconnect-qemu72"])
    func wedgedRunFreed(name: String) throws {
        let scenario = try ScenarioParser.load(path: Self.library + "/" + name + ".yaml")
        weak var world: COLOWorld?
        weak var scheduler: Scheduler?
        weak var primaryCore: NetCore?
        weak var secondaryCore: NetCore?
        weak var primaryLoop: MainLoop?
        weak var secondaryLoop: MainLoop?
        var wedgedAtEnd = false
        do {
            let made = try COLOWorld(configuration: scenario.configuration, chooser: SeededChooser(seed: scenario.configuration.seed),
                                     simultaneousOrder: .insertion, outputs: RunOutputs())
            _ = made.run(losing: nil)
            wedgedAtEnd = made.primary.core.mainLoop.isWedged || made.secondary.core.mainLoop.isWedged
            (world, scheduler, primaryCore, secondaryCore) = (made, made.scheduler, made.primary.core, made.secondary.core)
            (primaryLoop, secondaryLoop) = (made.primary.core.mainLoop, made.secondary.core.mainLoop)
        }
        #expect(wedgedAtEnd, "\(name) should end with a main loop wedged, the case that leaked")
        #expect(world == nil)
        #expect(scheduler == nil)
        #expect(primaryCore == nil && secondaryCore == nil)
        #expect(primaryLoop == nil && secondaryLoop == nil)
    }
}
