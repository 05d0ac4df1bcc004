import ArgumentParser
import Foundation
import Scenarios

/// `lockstep sweep-failover SCENARIO`: the primary fails at every event instant of the run.
struct SweepFailoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep-failover",
        abstract: "Lose the primary at every event instant of a scenario's run and report whether client streams survive.",
        discussion: "Exit status 1 when some failover instant broke a client stream."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Argument(help: "A scenario file (YAML).") var scenario: String
    @Option(help: "At most this many instants, taken evenly (0: every one).") var maxPoints: Int = 0
    @Option(help: "Output format: text (a table) or json.") var format: Format = .text

    func run() throws {
        let parsed: Scenario
        do {
            parsed = try ScenarioParser.load(path: scenario)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(2)
        }
        let points = try FailoverSweep(scenario: parsed, maxPoints: maxPoints).run()
        if format == .json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(points), as: UTF8.self))
        } else {
            print(FailoverSweep.table(points))
        }
        if points.contains(where: { !$0.streamsIntact }) { throw ExitCode(1) }
    }
}
