import ArgumentParser
import Foundation
import Fabric
import Scenarios
import Teaching

/// `lockstep ladder`: the run as a ladder diagram (client, tap, compare, both guests; time
/// downward; checkpoints as bands; holds and releases marked), as text or SVG.
struct LadderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ladder",
        abstract: "Draw a run as a ladder diagram (text, or SVG with --svg).")

    @Argument(help: "A scenario file, or `default`.")
    var scenario: String = "default"

    @Option(parsing: .unconditional, help: "Virtual time to run, e.g. 300ms (default: the scenario's; positive, at most 100 days).")
    var duration: DurationArgument?

    @Option(parsing: .unconditional, help: "First instant drawn (default 0; within the run).")
    var from: DurationArgument?

    @Option(parsing: .unconditional, help: "Last instant drawn (default: the end; within the run, not before --from).")
    var to: DurationArgument?

    @Option(parsing: .unconditional, help: "At most this many rows (1-1000000).")
    var maxRows = 400

    @Option(help: "Write the ladder as SVG to this file instead of printing text.")
    var svg: String?

    func validate() throws {
        try OptionRange.check(maxRows, "--max-rows", 1...1_000_000)
        try OptionRange.check(duration, "--duration", positive: true)
        try OptionRange.check(from, "--from")
        try OptionRange.check(to, "--to")
        if let from, let to, to.value < from.value {
            throw ValidationError("--to (\(OptionRange.text(to.value))) must not be before --from (\(OptionRange.text(from.value)))")
        }
    }

    func run() throws {
        let configuration = try TeachScenario.configuration(scenario, duration: duration)
        for (name, instant) in [("--from", from), ("--to", to)] {
            if let instant, instant.value > configuration.duration {
                throw ValidationError("\(name) \(OptionRange.text(instant.value)) is after the run's end (\(OptionRange.text(configuration.duration)))")
            }
        }
        let run = try TeachScenario.run(configuration)
        let ladder = Ladder(
            entries: run.entries, topology: run.topology, from: VirtualTime.zero + (from?.value ?? VirtualDuration.zero),
            to: to.map { VirtualTime.zero + $0.value }, maximumRows: maxRows)
        if let svg {
            do {
                try OutputFile.write(LadderRenderer.svg(ladder), to: svg)
            } catch {
                printError("lockstep ladder: \(error)")
                throw ExitCode(2)
            }
        } else {
            print(LadderRenderer.text(ladder), terminator: "")
        }
    }
}
