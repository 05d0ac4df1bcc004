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

    @Option(parsing: .unconditional, help: "Virtual time to run, e.g. 300ms (default: the scenario's).")
    var duration: DurationArgument?

    @Option(parsing: .unconditional, help: "First instant drawn (default 0).")
    var from: DurationArgument?

    @Option(parsing: .unconditional, help: "Last instant drawn (default: the end).")
    var to: DurationArgument?

    @Option(help: "At most this many rows.")
    var maxRows = 400

    @Option(help: "Write the ladder as SVG to this file instead of printing text.")
    var svg: String?

    func run() throws {
        let configuration = try TeachScenario.configuration(scenario, duration: duration)
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
