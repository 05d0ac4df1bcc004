import Fabric
import COLORuntime
import Scenarios

/// What one fuzz run did: its seed, the decisions it made and the checks it broke.
public struct FuzzTrial: Sendable, Hashable, Codable {
    /// Position in the campaign's seed space; merges and reports are ordered by it.
    public var index: Int
    public var seed: UInt64
    public var decisions: [UInt64]
    public var traceHash: UInt64
    /// One line per broken check, `name: detail`; empty when the run passed.
    public var violations: [String]
    /// The workload this run used, when shrinking reduced the scenario's.
    public var reduction: WorkloadReduction? = nil
    /// Frames the client sent (`client_frames_sent`), when the run reported.
    public var clientFramesSent: Int? = nil

    public var failed: Bool { !violations.isEmpty }

    /// The check names only (the part before the colon), which shrinking must keep failing.
    public var violationNames: [String] {
        violations.map { line in String(line.prefix { $0 != ":" }) }
    }

    /// The first broken check, precise enough that a smaller workload failing a *different*
    /// expectation does not count: the check name, and for an expectation which one.
    public var firstCheck: String? {
        guard let first = violations.first else { return nil }
        guard first.hasPrefix("expectation: ") else { return violationNames.first }
        return first.components(separatedBy: " — ").first
    }
}

/// One check a run broke.
public enum FailingCheck: Sendable, Hashable {
    case invariant(InvariantVerdict)
    /// A watchdog or a failure ended the run.
    case stopReason(RunStopReason)
    case expectation(ExpectationResult)

    /// `name: detail`, as in `FuzzTrial.violations`.
    public var line: String {
        switch self {
        case .invariant(let verdict): "\(verdict.name): \(verdict.detail)"
        case .stopReason(let reason): "stop_reason: \(reason)"
        case .expectation(let result): "expectation: \(result.line)"
        }
    }
}

/// Runs one scenario under a given chooser and applies the fuzz checks: every invariant must
/// not be violated, the run must not end by a watchdog, every expectation under `always:` must
/// hold, and (with `checksExpectations`) every other expectation too.
public struct FuzzTarget: Sendable {
    public var scenario: Scenario
    public var checksExpectations: Bool
    /// Off for runs that change the scenario on purpose (a failover sweep loses the primary, so
    /// `failover: none` or a checkpoint count no longer describes them).
    public var checksAlwaysExpectations: Bool

    public init(scenario: Scenario, checksExpectations: Bool = false, checksAlwaysExpectations: Bool = true, mutant: EngineMutant? = nil) {
        var scenario = scenario
        scenario.configuration.measuresBaseline = false
        scenario.configuration.mutant = mutant
        self.scenario = scenario
        self.checksExpectations = checksExpectations
        self.checksAlwaysExpectations = checksAlwaysExpectations
    }

    /// Runs with `chooser`, ordering simultaneous events by it too, so arrival interleavings are
    /// explored along with splits, jitter and draws.
    public func run(seed: UInt64, chooser: any Chooser, outputs: RunOutputs = RunOutputs()) -> (RunReport?, [String]) {
        var configuration = scenario.configuration
        configuration.seed = seed
        var run = COLORun(configuration, chooser: chooser)
        run.simultaneousOrder = .chosen
        run.outputs = outputs
        if checksExpectations && scenario.expectations.contains(where: \.needsFullLog) { run.outputs.keepsFullLog = true }
        do {
            let report = try run.run()
            return (report, violations(of: report))
        } catch {
            return (nil, ["run_error: \(error)"])
        }
    }

    public func violations(of report: RunReport) -> [String] {
        failingChecks(of: report).map(\.line)
    }

    /// The checks `report` breaks, in the order `violations(of:)` lists them.
    public func failingChecks(of report: RunReport) -> [FailingCheck] {
        var checks: [FailingCheck] = []
        // A scenario that demonstrates a violation (`invariants: {x: violated}`) expects it.
        let expectedViolations = scenario.expectations.compactMap { expectation -> String? in
            if case let .invariant(name, .violated) = expectation.kind { name } else { nil }
        }
        for verdict in report.invariants where verdict.status == .violated && !expectedViolations.contains(verdict.name) {
            checks.append(.invariant(verdict))
        }
        let expectedStop = scenario.expectations.contains { expectation in
            if case .stopReason(let token) = expectation.kind { token == report.stopReason.token } else { false }
        }
        if report.stopReason.isAbnormal && !expectedStop {
            checks.append(.stopReason(report.stopReason))
        }
        // `determinism` needs a second run; a fuzz run is checked for it by its replay instead.
        for expectation in scenario.expectations where (checksExpectations || (checksAlwaysExpectations && expectation.isAlwaysTrue))
            && !Self.isDeterminismCheck(expectation) {
            let result = expectation.evaluate(report)
            if !result.passed {
                checks.append(.expectation(result))
            }
        }
        return checks
    }

    static func isDeterminismCheck(_ expectation: Expectation) -> Bool {
        if case .invariant("determinism", _) = expectation.kind { true } else { false }
    }

    /// One seeded run, recorded: every decision drawn uniformly, or (with `pct`) simultaneous
    /// events ordered by PCT priorities and the rest drawn uniformly.
    public func trial(index: Int, seed: UInt64, pct: PCTParameters? = nil) -> FuzzTrial {
        let chooser: any Chooser = pct.map { PCTChooser(seed: seed, parameters: $0) } ?? SeededChooser(seed: seed)
        let recorder = RecordingChooser(wrapping: chooser)
        let (report, violations) = run(seed: seed, chooser: recorder)
        return FuzzTrial(
            index: index, seed: seed, decisions: recorder.decisions, traceHash: report?.traceHash ?? 0,
            violations: violations, clientFramesSent: report?.traffic.clientFramesSent)
    }

    /// Replays a decision list (canonical after its end) and reports what it broke.
    public func replay(seed: UInt64, decisions: [UInt64], outputs: RunOutputs = RunOutputs()) -> (RunReport?, FuzzTrial) {
        let replayer = ReplayingChooser(decisions: decisions)
        let (report, violations) = run(seed: seed, chooser: replayer, outputs: outputs)
        let trial = FuzzTrial(
            index: 0, seed: seed, decisions: Array(decisions.prefix(replayer.consumed)),
            traceHash: report?.traceHash ?? 0, violations: violations, clientFramesSent: report?.traffic.clientFramesSent)
        return (report, trial)
    }

    /// Whether the run of `seed` (random, or PCT) breaks a check, recording nothing.
    public func fails(seed: UInt64, pct: PCTParameters? = nil) -> Bool {
        let chooser: any Chooser = pct.map { PCTChooser(seed: seed, parameters: $0) } ?? SeededChooser(seed: seed)
        return !run(seed: seed, chooser: chooser).1.isEmpty
    }

    /// How many ordering steps (choices among two or more simultaneous events) a run with
    /// seed `seed` takes: PCT's `k`, measured once per campaign.
    public func orderingSteps(seed: UInt64) -> Int {
        let counter = OrderingStepCounter(inner: SeededChooser(seed: seed))
        _ = run(seed: seed, chooser: counter)
        return counter.steps
    }
}

/// Counts the run loop's choices among simultaneous events, passing every decision through.
private final class OrderingStepCounter: Chooser {
    let inner: any Chooser
    var steps = 0

    init(inner: any Chooser) {
        self.inner = inner
    }

    func decide(_ point: ChoicePoint, maxOffset: UInt64) -> UInt64 {
        inner.decide(point, maxOffset: maxOffset)
    }

    func chooseSimultaneous(count: Int, label: (Int) -> EventLabel) -> Int {
        steps += 1
        return inner.chooseSimultaneous(count: count, label: label)
    }
}
