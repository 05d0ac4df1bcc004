import ArgumentParser
import Foundation
import Fabric
import COLORuntime
import Scenarios
import Fuzzing
import Teaching

/// `lockstep replay --scenario S INPUT`: a FuzzOrderings input (libFuzzer's crash file, or any
/// corpus entry) replayed from its bytes, so a finding reproduces even when the target could not
/// write its replay file (a timeout, an out-of-memory stop, a trap outside the checks).
extension ReplayCommand {
    /// The file's bytes when it is such an input: it does not decode as a replay file and
    /// `--scenario` names the scenario. Anything else (no `--scenario`, a file that cannot be
    /// read) is left to the replay path, which refuses what it cannot use with exit status 2.
    func fuzzInput() -> [UInt8]? {
        guard scenario != nil, let data = try? Data(contentsOf: URL(fileURLWithPath: file)) else { return nil }
        if rawInput { return [UInt8](data) }
        guard (try? ReplayFile.decode(data)) == nil else { return nil }
        // A .json file or JSON text was meant as a replay file: a broken one is refused, not run
        // as decision bytes (libFuzzer names its inputs without an extension).
        if file.hasSuffix(".json") || Self.startsLikeJSON(data) { return nil }
        return [UInt8](data)
    }

    static func startsLikeJSON(_ data: Data) -> Bool {
        guard let first = data.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return false }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }

    func replayFuzzInput(_ input: [UInt8]) throws {
        guard let path = scenario else { return }
        let engineMutant = try mutant.map { name in
            guard let known = EngineMutant(rawValue: name) else { throw ValidationError("unknown --mutant '\(name)'") }
            return known
        }
        let text: String
        let parsed: Scenario
        let traceFile: TraceFile?
        do {
            text = try DefaultFuzzScenario.text(of: path)
            parsed = try DefaultFuzzScenario.parse(text, of: path)
            traceFile = try trace.map(TraceFile.init(path:))
        } catch {
            printError("lockstep replay: \(error)")
            throw ExitCode(Self.unusableInput)
        }
        let target = FuzzTarget(scenario: parsed, checksExpectations: expectations, mutant: engineMutant)
        let watch = ReplayLogWatch(maxLines: maxLines)
        var outputs = RunOutputs(traceLine: traceFile.map { file in { line in file.write(line) } }, pcapDirectory: pcapDir)
        outputs.entrySink = watch.add
        let (report, trial) = target.run(fuzzInput: input, outputs: outputs)
        do {
            try traceFile?.close()
            if let replayOut {
                let replay = ReplayFile(
                    tool: "lockstep replay", scenario: path, scenarioHash: ReplayFile.hash(of: text), trial: trial,
                    mutant: engineMutant, checksExpectations: expectations)
                try replay.encoded().write(to: URL(fileURLWithPath: replayOut))
            }
        } catch {
            printError("lockstep replay: \(error)")
            throw ExitCode(Self.unusableInput)
        }
        if let report {
            explain(report, target: target, watch: watch) { outputs in _ = target.run(fuzzInput: input, outputs: outputs) }
        }
        var lines = ["fuzz input \(file): \(input.count) byte(s) read as \(trial.decisions.count) decision(s), trace hash \(ReplayFile.hex(trial.traceHash))"]
        lines += trial.violations.map { "VIOLATION \($0)" }
        if let replayOut { lines.append("replay file: \(replayOut)") }
        lines.append(trial.failed ? "FAILS" : "PASSES")
        print(lines.joined(separator: "\n"))
        throw ExitCode(trial.failed ? 1 : 3)
    }

    /// The replayed run's report and its explained trace, up to the first broken check, from
    /// what the log watch gathered while the run went; `again` runs it once more when the text
    /// needs entries the watch did not keep.
    func explain(_ report: RunReport, target: FuzzTarget, watch: ReplayLogWatch, again: (RunOutputs) -> Void) {
        print(report.text)
        let points = ViolationPoint.locate(report, target: target, log: watch.index)
        ReplayExplanation.print(watch: watch, violations: points, options: ExplainedTrace.Options(full: full, maxLines: maxLines)) { sink in
            var outputs = RunOutputs()
            outputs.entrySink = sink
            again(outputs)
        }
    }
}
