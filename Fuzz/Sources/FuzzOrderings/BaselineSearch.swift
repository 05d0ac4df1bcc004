import Foundation
import Fuzzing
import FuzzSupport

/// `--engine=random|pct`: instead of fuzzing, search as `lockstep fuzz --strategy random|pct
/// --seed S` does (runs 0, 1, 2, … of base seed S) until the first failure, and print how many
/// runs and seconds it took. `scripts/fuzz compare` times the three engines in this one binary,
/// so all of them pay the same sanitizer and coverage instrumentation.
///
/// Options: `--seed=S` (default 1), `--budget-runs=N` and `--budget-seconds=T` (the search stops
/// at whichever comes first), `--depth=D` for PCT (default 3), `--inputs-out=DIR` to write each
/// run's fuzz input into DIR (`run-<index>`), so that `-runs=0 DIR` measures the coverage the
/// search reached (writing is not counted in the seconds).
enum BaselineSearch {
    static func runIfAsked(_ setup: OrderingsSetup) {
        guard let engine = FuzzProcess.option("engine") else { return }
        guard let strategy = FuzzStrategy(rawValue: engine), strategy != .exhaustive else {
            FuzzProcess.refuse("FuzzOrderings: --engine must be random or pct")
        }
        let baseSeed = number("seed") ?? 1
        let budgetRuns = Int(number("budget-runs") ?? 1_000_000)
        let budgetSeconds = Double(FuzzProcess.option("budget-seconds") ?? "") ?? 60
        let seeds = FuzzSeedSpace(baseSeed: baseSeed)
        let pct = strategy == .pct
            ? PCTParameters(depth: Int(number("depth") ?? 3), steps: max(setup.target.orderingSteps(seed: baseSeed), 1))
            : nil
        let inputsDirectory = FuzzProcess.option("inputs-out")
        var spent = Duration.zero
        var runs = 0
        var seconds = 0.0
        while runs < budgetRuns && seconds < budgetSeconds {
            let seed = seeds.seed(ofIndex: runs)
            runs += 1
            let started = ContinuousClock.now
            let failed = setup.target.fails(seed: seed, pct: pct)
            spent += ContinuousClock.now - started
            seconds = Double(spent / .milliseconds(1)) / 1000
            if let inputsDirectory {
                let input = setup.target.fuzzInput(seed: seed, pct: pct)
                guard ArtifactFile.write(input, to: "\(inputsDirectory)/run-\(runs - 1)") else {
                    FuzzProcess.refuse("FuzzOrderings: cannot write into --inputs-out \(inputsDirectory)")
                }
            }
            if failed {
                let trial = setup.target.trial(index: runs - 1, seed: seed, pct: pct)
                print("FuzzOrderings: engine \(engine) seed \(baseSeed): first failure at run \(runs) after \(String(format: "%.3f", seconds)) s: \(trial.violations.first ?? "")")
                exit(0)
            }
        }
        print("FuzzOrderings: engine \(engine) seed \(baseSeed): no failure in \(runs) run(s), \(String(format: "%.3f", seconds)) s")
        exit(0)
    }

    private static func number(_ name: String) -> UInt64? {
        guard let text = FuzzProcess.option(name) else { return nil }
        guard let value = UInt64(text) else { FuzzProcess.refuse("FuzzOrderings: --\(name) must be a whole number, not '\(text)'") }
        return value
    }
}
