import Foundation
import Testing
import Fabric
import Deployment
import COLORuntime
import Scenarios
import Fuzzing

/// Issue 8 item 7: every engine mutant is found by `lockstep fuzz` on a library scenario within
/// a fixed number of runs and shrunk to a replay that reproduces it, while the same scenario and
/// bound find nothing in the correct engines. The scenario is `EngineMutant.libraryScenario`.
@Suite("Mutants found and shrunk")
struct MutantFuzzTests {
    static let library = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios").path
    static let runBound = 8
    static let shrinkBudget = 40

    static func target(_ name: String, mutant: EngineMutant?, expectations: Bool = true) throws -> FuzzTarget {
        let scenario = try ScenarioParser.load(path: library + "/" + name + ".yaml")
        return FuzzTarget(scenario: scenario, checksExpectations: expectations, mutant: mutant)
    }

    static func campaign(_ target: FuzzTarget, shrinkBudget: Int) -> FuzzResult {
        var options = FuzzOptions()
        options.runs = runBound
        options.shrinkBudget = shrinkBudget
        options.seeds = FuzzSeedSpace(baseSeed: 11)
        return FuzzCampaign(target: target, options: options, scenarioHash: "test").run()
    }

    @Test("the mutant is found within the run bound, shrunk, and the shrunk replay reproduces its trace; unmutated, the same runs pass",
          arguments: EngineMutant.allCases)
    func foundShrunkAndReplayed(_ mutant: EngineMutant) throws {
        let name = mutant.libraryScenario
        let mutated = try Self.target(name, mutant: mutant)
        let result = Self.campaign(mutated, shrinkBudget: Self.shrinkBudget)
        let first = try #require(result.failures.first, "\(mutant.rawValue) not found on \(name) in \(Self.runBound) runs")
        #expect(first.index < Self.runBound)
        let shrunk = try #require(result.shrunk)
        #expect(shrunk.failed)
        #expect(shrunk.violationNames.first == first.violationNames.first)
        #expect(shrunk.decisions.count <= first.decisions.count)
        let (_, replayed) = mutated.replay(seed: shrunk.seed, decisions: shrunk.decisions)
        #expect(replayed.failed)
        #expect(replayed.traceHash == shrunk.traceHash)

        let clean = Self.campaign(try Self.target(name, mutant: nil), shrinkBudget: 0)
        #expect(clean.indicesRun == Self.runBound)
        #expect(clean.failures.isEmpty, "\(name) fails unmutated: \(clean.failures.first?.violations ?? [])")
    }

    @Test("W-5/W-6: split-length-field breaks an invariant (conservation at a chardev reader), not only an expectation")
    func splitLengthFieldBreaksConservation() throws {
        let result = Self.campaign(try Self.target("split-records", mutant: .splitLengthField, expectations: false), shrinkBudget: 0)
        let first = try #require(result.failures.first)
        #expect(first.violationNames.contains("conservation"))
        #expect(first.violations.contains { $0.contains("reader") })
    }

    @Test("C-11.2: under the correct compare the pipelined scenario's first response is held by the ack gate")
    func ackGateHoldsInEveryRun() throws {
        let target = try Self.target("ack-gate-pipelined", mutant: nil)
        for index in 0..<3 {
            let seed = FuzzSeedSpace(baseSeed: 11).seed(ofIndex: index)
            let (report, violations) = target.run(seed: seed, chooser: SeededChooser(seed: seed))
            #expect(violations.isEmpty)
            let hold = report?.checkpoints.first { $0.trigger.token == "ack_gate" }
            #expect(hold != nil, "no ack_gate checkpoint with seed \(seed)")
        }
    }
}
