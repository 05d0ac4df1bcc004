import Fabric
import COLORuntime

/// Runs whose every decision is read from a coverage-guided fuzzer's input (``ByteChooser``):
/// the libFuzzer orderings target runs them, `lockstep replay --scenario S INPUT` replays one,
/// and seeded runs are turned into such inputs to seed a corpus.
extension FuzzTarget {
    /// The seed a fuzz input's run is labelled with. Every decision comes from the input, so the
    /// seed only names the run in its report; a fixed value keeps replay files of one input equal.
    public static let fuzzInputSeed: UInt64 = 0

    /// Runs `input` with every decision, simultaneous-event order included, read from its bytes.
    /// The trial's decisions are the ones the run made: a replay file of them
    /// (``replay(seed:decisions:outputs:)``) reproduces the run and its trace hash.
    public func run(fuzzInput input: [UInt8], outputs: RunOutputs = RunOutputs()) -> (RunReport?, FuzzTrial) {
        let recorder = RecordingChooser(wrapping: ByteChooser(bytes: input))
        let (report, violations) = run(seed: Self.fuzzInputSeed, chooser: recorder, outputs: outputs)
        let trial = FuzzTrial(
            index: 0, seed: Self.fuzzInputSeed, decisions: recorder.decisions, traceHash: report?.traceHash ?? 0,
            violations: violations, clientFramesSent: report?.traffic.clientFramesSent)
        return (report, trial)
    }

    /// The fuzz input that makes the same run as `chooser` does (a seeded, PCT or replaying
    /// chooser): the run is made once, recording each decision with its range.
    public func fuzzInput(reproducing chooser: any Chooser, seed: UInt64) -> [UInt8] {
        let recorder = RecordingChooser(wrapping: chooser, keepsLog: true)
        _ = run(seed: seed, chooser: recorder)
        return ByteChooser.input(answering: recorder.log)
    }

    /// The fuzz input of a campaign's run `seed` (random, or PCT with `pct`), for seed corpora.
    public func fuzzInput(seed: UInt64, pct: PCTParameters? = nil) -> [UInt8] {
        let chooser: any Chooser = pct.map { PCTChooser(seed: seed, parameters: $0) } ?? SeededChooser(seed: seed)
        return fuzzInput(reproducing: chooser, seed: seed)
    }

    /// The fuzz input of a recorded decision list (a replay file's), canonical after its end.
    public func fuzzInput(replaying decisions: [UInt64], seed: UInt64) -> [UInt8] {
        fuzzInput(reproducing: ReplayingChooser(decisions: decisions), seed: seed)
    }
}
