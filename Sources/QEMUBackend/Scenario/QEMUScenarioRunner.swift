import Foundation
import COLORuntime
import Scenarios

/// Runs scenario files on real QEMU: `lockstep run FILE --backend qemu`, `lockstep test DIR
/// --backend qemu`, `lockstep diff-backends`. The scenario's configuration is run as written;
/// its expectations are checked against the report (those the backend cannot observe are
/// skipped, `check_determinism` is not repeated: a real run is never the same twice).
public enum QEMUScenarioRunner {
    public static func run(_ scenario: Scenario, binary: QEMUBinary, outputs: RunOutputs = RunOutputs(),
                           limits: QEMURunLimits = QEMURunLimits()) -> ScenarioOutcome {
        var outcome = ScenarioOutcome(file: scenario.file, name: scenario.name)
        var outputs = outputs
        if scenario.expectations.contains(where: \.needsFullLog) { outputs.keepsFullLog = true }
        var run = QEMUBackendRun(scenario.configuration, binary: binary)
        run.outputs = outputs
        run.limits = limits
        do {
            let report = try run.run()
            outcome.report = report
            outcome.results = scenario.expectations.map { $0.evaluate(report) }
        } catch {
            outcome.errors = ["\(scenario.file): the run on real QEMU could not start: \(error.headline)"]
        }
        return outcome
    }

    /// Reads and runs the file at `path`; a malformed file gives an outcome with its errors.
    public static func run(path: String, binary: QEMUBinary) -> ScenarioOutcome {
        do {
            return run(try ScenarioParser.load(path: path), binary: binary)
        } catch {
            var outcome = ScenarioOutcome(file: path, name: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
            outcome.errors = error.errors.map(\.description)
            return outcome
        }
    }
}
