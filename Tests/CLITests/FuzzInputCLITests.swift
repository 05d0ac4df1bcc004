import Foundation
import Testing
import LockstepTestSupport

/// `lockstep fuzz-input` and `lockstep replay --scenario S INPUT`: libFuzzer inputs of the
/// FuzzOrderings target made from runs, and replayed from their bytes.
@Suite("lockstep fuzz-input and replay of a fuzz input")
struct FuzzInputCLITests {
    let binary: URL
    let directory: URL
    static let scenario = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios/clean-run.yaml").path

    init() throws {
        binary = try #require(LockstepBinary.locate(), "\(LockstepBinary.notFoundMessage)")
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("lockstep-fuzz-input-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func traceHash(_ output: String) -> Substring? {
        output.split(separator: "\n").first { $0.hasPrefix("trace:") }?.split(separator: " ").last
    }

    @Test("a seed's input replays as a passing run (exit 3, PASSES)")
    func seedInputPasses() throws {
        let written = try LockstepBinary.run(binary, ["fuzz-input", Self.scenario, "--seed", "3", "--out", path("seed-3")])
        #expect(written.status == 0, "\(written.error)")
        #expect(written.output.hasPrefix("wrote "))
        let replayed = try LockstepBinary.run(binary, ["replay", "--scenario", Self.scenario, path("seed-3")])
        #expect(replayed.status == 3, "\(replayed.error)")
        #expect(replayed.output.hasSuffix("PASSES\n"))
        #expect(replayed.output.contains("read as "))
    }

    @Test("a crash input (a mutant's run) fails (exit 1), and its replay file, written on the way, reproduces the same trace")
    func crashInputAndItsReplayFile() throws {
        _ = try LockstepBinary.run(binary, ["fuzz-input", Self.scenario, "--seed", "3", "--out", path("crash")])
        let crash = try LockstepBinary.run(binary, [
            "replay", "--scenario", Self.scenario, "--mutant", "rewriter-offset-sign-flipped", "--expectations",
            "--replay-out", path("crash.replay.json"), path("crash"),
        ])
        #expect(crash.status == 1, "\(crash.error)")
        #expect(crash.output.contains("VIOLATION expectation"))
        #expect(crash.output.hasSuffix("FAILS\n"))
        let replay = try LockstepBinary.run(binary, ["replay", path("crash.replay.json")])
        #expect(replay.status == 1, "\(replay.error)")
        #expect(replay.output.hasSuffix("REPRODUCED\n"))
        #expect(Self.traceHash(replay.output) == Self.traceHash(crash.output))
    }

    /// A crash file libFuzzer wrote (`scripts/fuzz run FuzzOrderings_split-records -- --mutant=split-length-field
    /// --expectations`), checked in: it must keep replaying to the trace hash of the replay file the
    /// target wrote beside it. A change that moves this hash changed what a fuzz input means.
    @Test("a checked-in libFuzzer crash input of a mutant replays to its recorded trace hash")
    func checkedInCrashInput() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let crash = root.appendingPathComponent("Tests/Fixtures/fuzz/split-records-split-length-field.crash").path
        let scenario = root.appendingPathComponent("scenarios/split-records.yaml").path
        let replayed = try LockstepBinary.run(binary, [
            "replay", "--scenario", scenario, "--mutant", "split-length-field", "--expectations", crash,
        ])
        #expect(replayed.status == 1, "\(replayed.error)")
        #expect(replayed.output.contains("1182 byte(s) read as 190 decision(s), trace hash 6736b57833d8d289"), "\(replayed.output.suffix(600))")
        #expect(replayed.output.contains("VIOLATION conservation"))
        #expect(replayed.output.hasSuffix("FAILS\n"))
        let unmutated = try LockstepBinary.run(binary, ["replay", "--scenario", scenario, "--expectations", crash])
        #expect(unmutated.status == 3, "without the mutant the same input passes: \(unmutated.output.suffix(600))")
    }

    @Test("without --scenario a file that is not a replay file is refused, and --mutant is refused for a replay file")
    func needsTheScenario() throws {
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path("bytes")))
        let bare = try LockstepBinary.run(binary, ["replay", path("bytes")])
        #expect(bare.status == 2)
        #expect(bare.error.contains("not a replay file") && bare.error.contains("--scenario"), "\(bare.error)")
        _ = try LockstepBinary.run(binary, ["fuzz-input", Self.scenario, "--seed", "1", "--out", path("one")])
        _ = try LockstepBinary.run(binary, [
            "replay", "--scenario", Self.scenario, "--mutant", "rewriter-offset-sign-flipped", "--expectations",
            "--replay-out", path("one.replay.json"), path("one"),
        ])
        let mixed = try LockstepBinary.run(binary, ["replay", "--mutant", "flush-drops-primary", path("one.replay.json")])
        #expect(mixed.error.contains("--mutant and --replay-out apply to a FuzzOrderings input"), "\(mixed.error)")
    }

    @Test("with --scenario a broken replay file (JSON text) is refused with exit 2, not run as decision bytes; --raw-input runs it")
    func brokenReplayFileIsNotAFuzzInput() throws {
        try Data(#"{"format": 1, "seed": 3"#.utf8).write(to: URL(fileURLWithPath: path("cut.json")))
        let refused = try LockstepBinary.run(binary, ["replay", "--scenario", Self.scenario, path("cut.json")])
        #expect(refused.status == 2, "\(refused.output)")
        #expect(refused.error.contains("cut.json"), "\(refused.error)")
        let raw = try LockstepBinary.run(binary, ["replay", "--scenario", Self.scenario, "--raw-input", path("cut.json")])
        #expect(raw.status == 3, "\(raw.error)")
        #expect(raw.output.contains("PASSES"), "\(raw.output)")
    }
}
