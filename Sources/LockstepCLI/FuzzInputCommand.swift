import ArgumentParser
import Foundation
import Fabric
import Scenarios
import Fuzzing

/// `lockstep fuzz-input SCENARIO --seed S --out FILE` (or `--replay FILE`): writes the libFuzzer
/// input of one run, for the orderings fuzz target's seed corpus or to add a known failure to a
/// corpus.
struct FuzzInputCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz-input",
        abstract: "Write the libFuzzer input that makes one run of a scenario (a seed's, or a replay file's).",
        discussion: """
            The orderings fuzz target (FuzzOrderings, docs/fuzz.md) reads every decision of a run \
            from its input bytes. This writes the bytes that make the run with seed S (a failure \
            `lockstep fuzz` prints as 'run I seed S'; with --strategy pct, its PCT run) or the run \
            of a replay file's decision list, so the run seeds a corpus. \
            `lockstep replay --scenario SCENARIO FILE` replays it.
            """
    )

    @Argument(help: "A scenario file (YAML), or 'default'.") var scenario: String
    @Option(help: "The seed of the run (as `lockstep fuzz` prints it beside a failing run).") var seed: UInt64?
    @Option(help: "With --seed: random (every decision uniform) or pct.") var strategy: String = FuzzStrategy.random.rawValue
    @Option(help: "PCT bug depth (strategy pct; default 3).") var depth: Int = 3
    @Option(help: "A replay file whose decisions to write instead of a seed's run.") var replay: String?
    @Option(help: "Where to write the input.") var out: String

    func validate() throws {
        guard (seed == nil) != (replay == nil) else { throw ValidationError("give one of --seed and --replay") }
        guard strategy == FuzzStrategy.random.rawValue || strategy == FuzzStrategy.pct.rawValue else {
            throw ValidationError("--strategy must be random or pct")
        }
        guard depth >= 1 else { throw ValidationError("--depth must be at least 1") }
    }

    func run() throws {
        let (text, parsed) = try FuzzCommand.loadScenario(scenario)
        let input: [UInt8]
        if let seed {
            let target = FuzzTarget(scenario: parsed)
            let pct = strategy == FuzzStrategy.pct.rawValue
                ? PCTParameters(depth: depth, steps: max(target.orderingSteps(seed: seed), 1)) : nil
            input = target.fuzzInput(seed: seed, pct: pct)
        } else {
            input = try replayedInput(parsed, scenarioText: text)
        }
        try Data(input).write(to: URL(fileURLWithPath: out))
        print("wrote \(input.count) byte(s) to \(out)")
    }

    /// The replay file's decisions as an input; its scenario must be this one, unreduced (the
    /// fuzz target runs the scenario as written).
    private func replayedInput(_ parsed: Scenario, scenarioText: String) throws -> [UInt8] {
        guard let replay else { return [] }
        let file = try ReplayFile.decode(Data(contentsOf: URL(fileURLWithPath: replay)))
        guard file.scenarioHash == ReplayFile.hash(of: scenarioText) else {
            throw ValidationError("\(replay) was recorded against another scenario than \(scenario) (hash \(file.scenarioHash))")
        }
        guard file.reduction?.isEmpty ?? true else {
            throw ValidationError("\(replay) runs a shrunk workload, which the fuzz target does not; fuzz again with --no-shrink-workload")
        }
        let mutant = try file.mutant.map { name in
            guard let known = EngineMutant(rawValue: name) else { throw ValidationError("unknown mutant '\(name)' in \(replay)") }
            return known
        }
        return FuzzTarget(scenario: parsed, mutant: mutant).fuzzInput(replaying: file.decisions, seed: file.seed)
    }
}
