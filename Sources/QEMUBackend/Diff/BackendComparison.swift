import COLORuntime
import Scenarios

/// `lockstep diff-backends SCENARIO`: the scenario run emulated and on real QEMU, each keeping
/// its whole log, and where the two part.
public struct BackendComparison: Sendable {
    public var scenario: Scenario
    public var emulated: ScenarioOutcome
    public var real: ScenarioOutcome
    /// Nil when either run produced no report.
    public var diff: BackendDiff?

    public static func run(_ scenario: Scenario, binary: QEMUBinary, limits: QEMURunLimits = QEMURunLimits()) -> BackendComparison {
        var outputs = RunOutputs()
        outputs.keepsFullLog = true
        let emulated = ScenarioRunner.run(scenario, outputs: outputs)
        let real = QEMUScenarioRunner.run(scenario, binary: binary, outputs: outputs, limits: limits)
        var diff: BackendDiff?
        if let left = emulated.report, let right = real.report {
            diff = BackendDiff(emulated: left, real: right, topology: scenario.configuration.topology)
        }
        return BackendComparison(scenario: scenario, emulated: emulated, real: real, diff: diff)
    }
}
