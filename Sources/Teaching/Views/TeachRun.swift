import Fabric
import Deployment
import COLORuntime

/// A COLO run kept whole for the teaching views (walk, ladder, report): its report, every log
/// entry in order and the topology it ran on.
public struct TeachRun: Sendable {
    public var configuration: COLORunConfiguration
    public var report: RunReport
    public var entries: [RunLogEntry]

    public var topology: Topology { configuration.topology }

    /// Runs `configuration` once with a seeded chooser, keeping the full log.
    public init(_ configuration: COLORunConfiguration) throws(COLORunError) {
        var quiet = configuration
        quiet.measuresBaseline = false
        let world = try COLOWorld(
            configuration: quiet, chooser: SeededChooser(seed: quiet.seed),
            simultaneousOrder: .insertion, outputs: RunOutputs(keepsFullLog: true))
        let stop = world.run()
        self.configuration = quiet
        self.report = world.report(stop: stop)
        self.entries = world.log.entries
    }
}
