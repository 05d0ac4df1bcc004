import Foundation
import Testing
import Fabric
import Scenarios
import Fuzzing

/// Runs read from a libFuzzer input (the FuzzOrderings target): they are a function of the bytes,
/// a failing one becomes a replay file that reproduces it, and seeded runs become inputs.
@Suite("Fuzz inputs: runs read from bytes")
struct FuzzInputTests {
    static let library = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios").path

    static func target(_ name: String, mutant: EngineMutant? = nil, expectations: Bool = false) throws -> FuzzTarget {
        FuzzTarget(scenario: try ScenarioParser.load(path: library + "/" + name + ".yaml"), checksExpectations: expectations, mutant: mutant)
    }

    static func bytes(seed: UInt64, count: Int) -> [UInt8] {
        var generator = Xoshiro256StarStar(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    }

    @Test("the same input gives the same run twice; arbitrary bytes are a valid run of an unmutated scenario")
    func sameInputSameRun() throws {
        let target = try Self.target("clean-run")
        let input = Self.bytes(seed: 5, count: 300)
        let (_, first) = target.run(fuzzInput: input)
        let (_, second) = target.run(fuzzInput: input)
        #expect(first.traceHash == second.traceHash && first.decisions == second.decisions)
        #expect(!first.failed, "\(first.violations)")
        #expect(first.decisions.count > 0)
    }

    @Test("the empty input is the canonical run")
    func emptyIsCanonical() throws {
        let target = try Self.target("clean-run")
        let (_, trial) = target.run(fuzzInput: [])
        let (canonical, _) = target.run(seed: FuzzTarget.fuzzInputSeed, chooser: CanonicalChooser())
        #expect(trial.traceHash == canonical?.traceHash)
        #expect(trial.decisions.allSatisfy { $0 == 0 })
    }

    @Test("a crash input's replay file reproduces it: same failure, same trace hash, REPRODUCED")
    func crashInputReplays() throws {
        let target = try Self.target("clean-run", mutant: .rewriterOffsetSignFlipped, expectations: true)
        let input = Self.bytes(seed: 8, count: 200)
        let (_, crash) = target.run(fuzzInput: input)
        #expect(crash.failed)
        let file = ReplayFile(tool: "FuzzOrderings (libFuzzer)", scenario: "clean-run.yaml", scenarioHash: "h", trial: crash,
                              mutant: .rewriterOffsetSignFlipped, checksExpectations: true)
        let decoded = try ReplayFile.decode(try file.encoded())
        let (_, replayed) = target.replay(seed: decoded.seed, decisions: decoded.decisions)
        #expect(replayed.traceHash == crash.traceHash)
        #expect(replayed.violations == crash.violations)
        #expect(decoded.isReproduced(by: replayed))
    }

    @Test("a seeded run (random or PCT) becomes an input that makes the same run", arguments: [false, true])
    func seededRunsBecomeInputs(pct: Bool) throws {
        let target = try Self.target("split-records")
        let seed: UInt64 = 41
        let parameters = pct ? PCTParameters(depth: 3, steps: max(target.orderingSteps(seed: seed), 1)) : nil
        let seeded = target.trial(index: 0, seed: seed, pct: parameters)
        let (_, fromInput) = target.run(fuzzInput: target.fuzzInput(seed: seed, pct: parameters))
        #expect(fromInput.traceHash == seeded.traceHash)
        #expect(fromInput.decisions == seeded.decisions)
    }

    @Test("a replay file's decision list becomes an input that makes the same run")
    func replayedListsBecomeInputs() throws {
        let target = try Self.target("clean-run", mutant: .payloadOffsetOffByOne, expectations: true)
        let failing = target.trial(index: 0, seed: 3)
        let input = target.fuzzInput(replaying: failing.decisions, seed: failing.seed)
        let (_, fromInput) = target.run(fuzzInput: input)
        #expect(fromInput.traceHash == failing.traceHash)
        #expect(fromInput.violations == failing.violations)
    }
}
