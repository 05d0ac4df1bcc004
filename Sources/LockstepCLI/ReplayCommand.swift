import ArgumentParser
import Foundation
import Fabric
import COLORuntime
import Scenarios
import Fuzzing
import Teaching

/// `lockstep replay FILE`: re-runs a fuzz failure from its seed and decision list, or (with
/// `--scenario`) a libFuzzer input of the orderings target from its bytes.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Reproduce a fuzz failure from its replay file and explain its trace.",
        discussion: """
            Exit status 1 when the replay reproduces the failure, 3 when it no longer fails or the \
            trace hash differs, 2 when the replay file or its scenario cannot be used. A file that is \
            not a replay file is read, with --scenario, as an input of the FuzzOrderings libFuzzer \
            target (a crash file): every decision comes from its bytes; exit status 1 when the run \
            fails, 3 when it passes. A file named *.json or starting like JSON is taken for a replay \
            file and refused when it is not a usable one; --raw-input reads it as a FuzzOrderings \
            input anyway.
            """
    )

    @Argument(help: "A replay file written by lockstep fuzz or FuzzOrderings, or (with --scenario) a FuzzOrderings input.") var file: String
    @Option(help: "The scenario file (default: the path recorded in the replay file).") var scenario: String?
    @Option(help: "Write one pcap per link of the replayed run into this directory.") var pcapDir: String?
    @Option(help: "Write every event of the replayed run as JSON lines to this file.") var trace: String?
    @Flag(help: "Explain every entry of the run, past the violation too, with no line limit.") var full = false
    @Option(parsing: .unconditional, help: "Show at most this many trace lines before the violation (1-1000000); earlier entries are skipped.") var maxLines = 400
    @Flag(help: "Treat every expectation of the scenario as always-true (implied when the failure was found so).") var expectations = false
    @Option(help: "The engine mutant a FuzzOrderings input was fuzzed with (a replay file names its own).") var mutant: String?
    @Option(help: "With a FuzzOrderings input: also write its run as a replay file here.") var replayOut: String?
    @Flag(help: "With --scenario: read FILE as a FuzzOrderings input even when it starts like JSON.") var rawInput = false

    func validate() throws {
        try OptionRange.check(maxLines, "--max-lines", 1...1_000_000)
        try PcapDirectoryOption.check(pcapDir)
    }

    /// Exit status 1 means "reproduced": a file that cannot be used must not look like that.
    static let unusableInput: Int32 = 2

    func run() throws {
        if let input = fuzzInput() { return try replayFuzzInput(input) }
        guard mutant == nil, replayOut == nil else {
            throw ValidationError("--mutant and --replay-out apply to a FuzzOrderings input; \(file) is a replay file")
        }
        let replay: ReplayFile
        let path: String
        let text: String
        let parsed: Scenario
        do {
            replay = try ReplayFile.load(path: file)
            path = scenario ?? replay.scenario
            text = try DefaultFuzzScenario.text(of: path)
            guard ReplayFile.hash(of: text) == replay.scenarioHash else {
                printError("lockstep replay: \(path) is not the scenario the replay was recorded against "
                           + "(hash \(ReplayFile.hash(of: text)), expected \(replay.scenarioHash))")
                throw ExitCode(Self.unusableInput)
            }
            parsed = try DefaultFuzzScenario.parse(text, of: path)
        } catch let error as ExitCode {
            throw error
        } catch {
            let hint = scenario == nil ? " (a FuzzOrderings input, such as a libFuzzer crash file, replays with --scenario SCENARIO)" : ""
            printError("lockstep replay: \(error)\(hint)")
            throw ExitCode(Self.unusableInput)
        }
        var mutant: EngineMutant?
        if let name = replay.mutant {
            guard let known = EngineMutant(rawValue: name) else {
                printError("lockstep replay: \(file): unknown mutant '\(name)'")
                throw ExitCode(Self.unusableInput)
            }
            mutant = known
        }
        let target = FuzzTarget(
            scenario: parsed, checksExpectations: expectations || replay.checksExpectations == true, mutant: mutant)
            .reduced(by: replay.reduction)
        let traceFile: TraceFile?
        do {
            traceFile = try trace.map(TraceFile.init(path:))
        } catch {
            printError("lockstep replay: \(error)")
            throw ExitCode(Self.unusableInput)
        }
        // The log streams to what the explanation needs instead of being kept whole.
        let watch = ReplayLogWatch(maxLines: maxLines)
        var outputs = RunOutputs(traceLine: traceFile.map { file in { line in file.write(line) } }, pcapDirectory: pcapDir)
        outputs.entrySink = watch.add
        let (report, trial) = target.replay(seed: replay.seed, decisions: replay.decisions, outputs: outputs)
        do {
            try traceFile?.close()
        } catch {
            printError("lockstep replay: \(error)")
            throw ExitCode(Self.unusableInput)
        }
        if report == nil, let problem = trial.violations.first(where: { $0.hasPrefix("run_error: cannot write") }) {
            printError("lockstep replay: \(problem.dropFirst("run_error: ".count))")
            throw ExitCode(Self.unusableInput)
        }
        if let report {
            explain(report, target: target, watch: watch) { outputs in
                _ = target.replay(seed: replay.seed, decisions: replay.decisions, outputs: outputs)
            }
        }
        print(replay.verdictText(trial))
        throw ExitCode(replay.isReproduced(by: trial) ? 1 : 3)
    }
}
