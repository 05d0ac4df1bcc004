import ArgumentParser
import Foundation
import Scenarios

/// `lockstep sweep-failover SCENARIO`: the primary fails right after every event of the run.
struct SweepFailoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep-failover",
        abstract: "Lose the primary right after every event of a scenario's run and report whether client streams survive.",
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
    @Option(help: "At most this many points, taken evenly from the range (0: every event).") var maxPoints: Int = 0
    @Option(help: "First event index to sweep (default: 0).") var from: Int?
    @Option(help: "Last event index to sweep, inclusive (default: the run's last event).") var to: Int?
    @Option(help: "Seeded choices (orderings, splits, draws) instead of canonical ones.") var seed: UInt64?
    @Option(help: "Worker threads; the result does not depend on it.") var jobs: Int = 1
    @Option(help: "Output format: text (a table) or json.") var format: Format = .text

    func validate() throws {
        guard maxPoints >= 0 else { throw ValidationError("--max-points must be 0 or more") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if let from, from < 0 { throw ValidationError("--from must be 0 or more") }
        if let from, let to, to < from { throw ValidationError("--to must not be before --from") }
    }

    func run() throws {
        let parsed: Scenario
        do {
            parsed = try ScenarioParser.load(path: scenario)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(2)
        }
        let sweep = FailoverSweep(scenario: parsed, maxPoints: maxPoints, from: from, to: to, seed: seed)
        let showsProgress = format == .text && isatty(2) != 0
        var progress: (@Sendable (Int, Int) -> Void)?
        if showsProgress {
            progress = { done, total in
                FileHandle.standardError.write(Data("\r  \(done)/\(total) points".utf8))
            }
        }
        let report = try sweep.run(jobs: jobs, progress: progress)
        if showsProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        if format == .json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(FailoverSweep.table(report))
        }
        if !report.broken.isEmpty { throw ExitCode(1) }
    }
}
