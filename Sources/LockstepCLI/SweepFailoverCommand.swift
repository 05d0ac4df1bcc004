import ArgumentParser
import Foundation
import Deployment
import COLORuntime
import Scenarios
import Fuzzing

/// `lockstep sweep-failover SCENARIO`: a host (the primary by default) fails right after every event of the run.
struct SweepFailoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep-failover",
        abstract: "Lose the primary (or, with --lose secondary, the secondary) right after every event of a scenario's run and report whether client streams survive.",
        discussion: """
            The reference run is the scenario without its own primary loss (canonical choices, or \
            --seed). Point i loses the primary right after event i of that run, before event i + 1 \
            even when both share an instant. Each point's verdict is 'intact' or the checks it broke \
            (invariants, abnormal stop). Exit status 1 when some point broke a check.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Argument(help: "A scenario file (YAML).") var scenario: String
    @Option(help: "The host lost at every point: primary (failover to the secondary, K-10) or secondary (the primary carries on alone, K-11).") var lose: HostRole = .primary
    @Option(help: "At most this many points, taken evenly from the range (0: every event).") var maxPoints: Int = 0
    @Option(help: "First event index to sweep (default: 0).") var from: Int?
    @Option(help: "Last event index to sweep, inclusive (default: the run's last event).") var to: Int?
    @Option(help: "Seeded choices (orderings, splits, draws) instead of canonical ones.") var seed: UInt64?
    @Option(help: "Worker threads; the result does not depend on it.") var jobs: Int = 1
    @Option(help: "K/N: sweep only the selected points at positions p with p % N == K-1 (merge the JSON reports with sweep-merge).") var shard: String = ShardSlice.whole.description
    @Option(help: "Output format: text (a table) or json.") var format: Format = .text
    @Option(help: "With --from I --to I: write every log entry of that point's run as JSON lines to this file.") var trace: String?
    @Option(help: "With --from I --to I: write that point's pcaps into this directory.") var pcapDir: String?

    func validate() throws {
        guard maxPoints >= 0 else { throw ValidationError("--max-points must be 0 or more") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if let from, from < 0 { throw ValidationError("--from must be 0 or more") }
        if let from, let to, to < from { throw ValidationError("--to must not be before --from") }
        if trace != nil || pcapDir != nil, from == nil || from != to {
            throw ValidationError("--trace and --pcap-dir show one point: give --from I --to I")
        }
        do {
            _ = try ShardSlice(parsing: shard)
        } catch {
            throw ValidationError("--shard: \(error)")
        }
    }

    func run() throws {
        let parsed: Scenario
        do {
            parsed = try ScenarioParser.load(path: scenario)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(2)
        }
        let sweep = FailoverSweep(
            scenario: parsed, maxPoints: maxPoints, from: from, to: to, seed: seed, lost: lose, shard: try ShardSlice(parsing: shard))
        if trace != nil || pcapDir != nil {
            try showPoint(sweep)
            return
        }
        let showsProgress = format == .text && isatty(2) != 0
        var progress: (@Sendable (Int, Int) -> Void)?
        if showsProgress {
            progress = { done, total in
                FileHandle.standardError.write(Data(FailoverSweep.progressLine(done: done, total: total).utf8))
            }
        }
        let report = try sweep.run(jobs: jobs, progress: progress)
        if showsProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        if format == .json {
            print(String(decoding: try report.encoded(), as: UTF8.self))
        } else {
            print(FailoverSweep.table(report))
        }
        if !report.broken.isEmpty { throw ExitCode(1) }
    }

    /// One point, with its trace and pcaps: how a broken verdict is investigated.
    private func showPoint(_ sweep: FailoverSweep) throws {
        let events = try sweep.referenceEvents()
        guard let index = from, index < events.count else {
            throw ValidationError("the reference run has \(events.count) event(s); --from must be below that")
        }
        let traceFile = try trace.map(TraceFile.init(path:))
        let outputs = RunOutputs(traceLine: traceFile.map { file in { line in file.write(line) } }, pcapDirectory: pcapDir)
        let point = sweep.point(after: events[index], outputs: outputs)
        try traceFile?.close()
        let report = FailoverSweepReport(scenario: sweep.scenario.name, seed: seed, referenceEvents: events.count, points: [point])
        print(FailoverSweep.table(report))
        for violation in point.violations { print("VIOLATION \(violation)") }
        if !point.violations.isEmpty { throw ExitCode(1) }
    }
}
