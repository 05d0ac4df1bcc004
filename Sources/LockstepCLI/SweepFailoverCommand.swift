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
    @Option(parsing: .unconditional, help: "At most this many points, taken evenly from the range (0: every event; at most 1000000).") var maxPoints: Int = 0
    @Option(parsing: .unconditional, help: "First event index to sweep (default: 0; below the reference run's event count).") var from: Int?
    @Option(parsing: .unconditional, help: "Last event index to sweep, inclusive (default: the run's last event).") var to: Int?
    @Option(parsing: .unconditional, help: "Seeded choices (orderings, splits, draws) instead of canonical ones.") var seed: UInt64?
    @Option(parsing: .unconditional, help: "Worker threads (1-1024); the result does not depend on it.") var jobs: Int = 1
    @Option(help: "K/N: sweep only the selected points at positions p with p % N == K-1 (merge the JSON reports with sweep-merge).") var shard: String = ShardSlice.whole.description
    @Option(help: "Output format: text (a table) or json.") var format: Format = .text
    @Option(help: "With --from I --to I: write every log entry of that point's run as JSON lines to this file.") var trace: String?
    @Option(help: "With --from I --to I: write that point's pcaps into this directory.") var pcapDir: String?

    func validate() throws {
        try OptionRange.check(maxPoints, "--max-points", 0...1_000_000)
        try OptionRange.check(jobs, "--jobs", 1...1024)
        try OptionRange.check(from, "--from", 0...Int(Int32.max))
        try OptionRange.check(to, "--to", 0...Int(Int32.max))
        if let from, let to, to < from { throw ValidationError("--to must not be before --from") }
        try PcapDirectoryOption.check(pcapDir)
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
            printError(error.description)
            throw ExitCode(2)
        }
        let sweep = FailoverSweep(
            scenario: parsed, maxPoints: maxPoints, from: from, to: to, seed: seed, lost: lose, shard: try ShardSlice(parsing: shard))
        let events = try sweep.referenceEvents()
        let selected = sweep.indices(eventCount: events.count)
        guard !selected.isEmpty else {
            throw ValidationError("--from \(from ?? 0) is past the reference run's last event (\(events.count) event(s), indices 0 to "
                                  + "\(events.count - 1)): the sweep would test nothing")
        }
        if trace != nil || pcapDir != nil {
            try showPoint(sweep, events: events)
            return
        }
        try refuseAbsurd(points: selected.count, of: parsed)
        let showsProgress = format == .text && isatty(2) != 0
        var progress: (@Sendable (Int, Int) -> Void)?
        if showsProgress {
            progress = { done, total in
                FuzzCommand.writeToStandardError(FailoverSweep.progressLine(done: done, total: total))
            }
        }
        let report = try sweep.run(jobs: jobs, reference: events, progress: progress)
        if showsProgress { FuzzCommand.writeToStandardError("\n") }
        if format == .json {
            print(String(decoding: try report.encoded(), as: UTF8.self))
        } else {
            print(FailoverSweep.table(report))
        }
        if !report.broken.isEmpty { throw ExitCode(1) }
    }

    /// A sweep estimated to take more than a day is refused with its price (--max-points bounds it).
    private func refuseAbsurd(points: Int, of scenario: Scenario) throws {
        let perPoint = max(RunCost(scenario.configuration).seconds, 0.001)
        let seconds = Double(points) * perPoint / Double(jobs)
        guard seconds > FuzzCommand.longestCampaignSeconds else { return }
        throw ValidationError("this sweep is refused: \(points) points of about \(Int(perPoint * 1000)) ms each on \(jobs) job(s) "
                              + "would take \(RunCost.duration(seconds)); bound it with --max-points or --from/--to")
    }

    /// One point, with its trace and pcaps: how a broken verdict is investigated.
    private func showPoint(_ sweep: FailoverSweep, events: [FailoverSweepEvent]) throws {
        guard let index = from, index < events.count else {
            throw ValidationError("the reference run has \(events.count) event(s); --from must be below that")
        }
        let traceFile = try trace.map(TraceFile.init(path:))
        let outputs = RunOutputs(traceLine: traceFile.map { file in { line in file.write(line) } }, pcapDirectory: pcapDir)
        let point = sweep.point(after: events[index], outputs: outputs)
        try traceFile?.close()
        if let problem = point.violations.first(where: { $0.hasPrefix("run_error: cannot write") }) {
            printError("lockstep sweep-failover: \(problem.dropFirst("run_error: ".count))")
            throw ExitCode(2)
        }
        let report = FailoverSweepReport(scenario: sweep.scenario.name, seed: seed, referenceEvents: events.count, points: [point])
        print(FailoverSweep.table(report))
        for violation in point.violations { print("VIOLATION \(violation)") }
        if !point.violations.isEmpty { throw ExitCode(1) }
    }
}
