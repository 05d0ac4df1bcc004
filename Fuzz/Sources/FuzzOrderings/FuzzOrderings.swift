import Foundation
import Fuzzing
import FuzzSupport

/// One scenario run per input, every decision (simultaneous-event order, chunk splits, latency,
/// jitter, ISN and IP-ID draws) read from the input's bytes (`ByteChooser`). A run that breaks
/// an invariant or an `always:` expectation (with `--expectations`, any expectation) is a
/// finding: the target writes the replay file `lockstep replay` reproduces, beside the crash
/// file libFuzzer is about to write (`<crash file>.replay.json`), then traps.
let setup = OrderingsSetup.load()

/// Inputs run by this process; libFuzzer calls the target from one thread only.
nonisolated(unsafe) var inputsRun = 0

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    FuzzProcess.initialize(argv)
    FuzzProcess.say(setup.summary)
    BaselineSearch.runIfAsked(setup)
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOrderings(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    inputsRun += 1
    let (_, trial) = setup.target.run(fuzzInput: input)
    guard trial.failed else { return 0 }
    let crashFile = ArtifactFile.crashPath(of: input)
    let replayPath = crashFile + ".replay.json"
    let replay = ReplayFile(
        tool: "FuzzOrderings (libFuzzer)", scenario: setup.scenarioPath, scenarioHash: setup.scenarioHash, trial: trial,
        mutant: setup.mutant, checksExpectations: setup.checksExpectations)
    if let encoded = try? replay.encoded(), ArtifactFile.write(Array(encoded), to: replayPath) {
        FuzzProcess.say("FuzzOrderings: replay file \(replayPath) (lockstep replay \(replayPath))")
    } else {
        FuzzProcess.say("FuzzOrderings: could not write \(replayPath); lockstep replay --scenario \(setup.scenarioPath) \(crashFile) replays the input")
    }
    FuzzProcess.say(String(format: "FuzzOrderings: input %d of this process failed after %.3f s, %d decision(s)", inputsRun, FuzzProcess.elapsedSeconds, trial.decisions.count))
    fatalError("FuzzOrderings: \(setup.scenarioArgument) broke \(trial.violations.joined(separator: "; "))")
}
