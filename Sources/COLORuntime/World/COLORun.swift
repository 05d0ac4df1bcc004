import Fabric
import GuestStack

/// The whole COLO topology in one process, run once: `COLORun(configuration).run()`.
///
/// Every nondeterministic decision goes through `chooser` (a `SeededChooser(seed:)` unless
/// another is plugged in — recording, replaying or a fuzzer's); with `simultaneousOrder =
/// .chosen` the chooser also orders events due at the same instant. Equal configurations and
/// equal choices give equal runs, down to the trace hash.
public struct COLORun {
    public var configuration: COLORunConfiguration
    public var chooser: (any Chooser)?
    public var simultaneousOrder: SimultaneousEventOrder = .insertion
    public var outputs = RunOutputs()
    /// A host lost after an exact number of scheduler events (the failover sweep's points).
    public var hostLoss: HostLossAtEvent?

    public init(_ configuration: COLORunConfiguration, chooser: (any Chooser)? = nil) {
        self.configuration = configuration
        self.chooser = chooser
    }

    /// Runs the topology, then (when `measuresBaseline`) the same workload without COLO.
    public func run() throws(COLORunError) -> RunReport {
        let world = try COLOWorld(
            configuration: configuration, chooser: chooser ?? SeededChooser(seed: configuration.seed),
            simultaneousOrder: simultaneousOrder, outputs: outputs)
        let stop = world.run(losing: hostLoss)
        var report = world.report(stop: stop)
        if let captures = world.captures, let failure = captures.close() {
            throw .outputFailed(path: outputs.pcapDirectory ?? "", reason: failure)
        }
        if configuration.measuresBaseline {
            report.baseline = Self.baseline(configuration)
        }
        return report
    }

    /// The same client, link and guest without COLO: client ↔ one guest, no filters, no
    /// compare, no checkpoints. Its latency is what COLO's is compared with.
    public static func baseline(_ configuration: COLORunConfiguration) -> WorkloadSummary {
        var options = DirectRunOptions()
        options.seed = configuration.seed
        options.link = configuration.clientLink
        options.workload = configuration.workload
        options.clientStack = configuration.clientStack
        var guest = configuration.guestStack
        guest.name = "primary"
        options.guestStack = guest
        options.guestKnobs = configuration.primaryKnobs
        options.guestDefaultResponseSize = configuration.guestDefaultResponseSize
        options.timeLimit = configuration.duration
        let topology = DirectRun.makeTopology(options)
        _ = try? topology.run(until: VirtualTime.zero + configuration.duration)
        let reports = topology.client.application(0, as: ConnectionWorkload.self)?.reports ?? []
        return WorkloadSummary(reports: reports, workload: configuration.workload)
    }

    /// Runs the configuration twice with fresh seeded choosers and compares the trace hashes;
    /// returns the first run's report with the `determinism` verdict filled in.
    public static func checkingDeterminism(_ configuration: COLORunConfiguration, outputs: RunOutputs = RunOutputs()) throws(COLORunError) -> RunReport {
        var first = COLORun(configuration)
        first.outputs = outputs
        var report = try first.run()
        var quiet = configuration
        quiet.measuresBaseline = false
        let second = try COLORun(quiet).run()
        let same = second.traceHash == report.traceHash && second.logEntries == report.logEntries
            && second.schedulerEvents == report.schedulerEvents
        let verdict = InvariantVerdict(
            name: "determinism", status: same ? .holds : .violated,
            detail: same
                ? "two runs, identical trace hash \(report.traceHashText) over \(report.logEntries) log entries"
                : "trace hashes differ: \(report.traceHashText) vs \(second.traceHashText) (\(report.logEntries) vs \(second.logEntries) entries)")
        if let index = report.invariants.firstIndex(where: { $0.name == "determinism" }) {
            report.invariants[index] = verdict
        }
        return report
    }
}
