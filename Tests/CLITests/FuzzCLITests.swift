import Foundation
import Testing
import LockstepTestSupport

/// `lockstep fuzz` and `lockstep replay` end to end: the default scenario, `--time`, PCT, and a
/// shrunk (reduced-workload) failure replayed from its file.
@Suite("lockstep fuzz")
struct FuzzCLITests {
    let binary: URL
    let directory: URL
    static let library = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios").path

    init() throws {
        binary = try #require(LockstepBinary.locate(), "\(LockstepBinary.notFoundMessage)")
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("lockstep-fuzz-cli-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    @Test("--runs and --time together are refused with one line")
    func runsAndTimeExclusive() throws {
        let result = try LockstepBinary.run(binary, ["fuzz", "--runs", "5", "--time", "1"])
        #expect(result.status == 64)
        #expect(result.error.contains("--runs and --time are exclusive"), "\(result.error)")
    }

    @Test("without SCENARIO the built-in divergent-response passes under random and PCT")
    func defaultScenario() throws {
        for strategy in ["random", "pct"] {
            let result = try LockstepBinary.run(binary, ["fuzz", "--runs", "4", "--strategy", strategy])
            #expect(result.status == 0, "\(result.output)\(result.error)")
            #expect(result.output.contains("lockstep fuzz divergent-response: 4 run(s), strategy \(strategy)"), "\(result.output)")
        }
    }

    @Test("--time prints how many runs it did and the --runs that reproduces them")
    func timeLimit() throws {
        let result = try LockstepBinary.run(binary, ["fuzz", "--time", "0.3", "--jobs", "2"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("time limit 0.3 s reached after"), "\(result.output)")
        #expect(result.output.contains("(same seed and shard) reproduces this result"), "\(result.output)")
    }

    @Test("a mutant's failure is shrunk to a smaller workload and the replay file reproduces it")
    func shrunkReplay() throws {
        let replay = directory.appendingPathComponent("clean.replay.json").path
        let fuzz = try LockstepBinary.run(binary, [
            "fuzz", Self.library + "/clean-run.yaml", "--runs", "1", "--expectations",
            "--mutant", "payload-offset-off-by-one", "--shrink-budget", "60", "--replay-out", replay,
        ])
        #expect(fuzz.status == 1, "\(fuzz.output)\(fuzz.error)")
        #expect(fuzz.output.contains("shrunk workload:"), "\(fuzz.output)")
        let replayed = try LockstepBinary.run(binary, ["replay", replay])
        #expect(replayed.status == 1, "\(replayed.output)\(replayed.error)")
        #expect(replayed.output.contains("reduced workload:"))
        #expect(replayed.output.contains("REPRODUCED"))
    }

    @Test("C-11: lockstep replay explains the run up to the checkpoint request that broke checkpoints: 0")
    func replayExplainsTrace() throws {
        let replay = directory.appendingPathComponent("explain.replay.json").path
        let fuzz = try LockstepBinary.run(binary, [
            "fuzz", Self.library + "/clean-run.yaml", "--runs", "1", "--mutant", "payload-offset-off-by-one",
            "--shrink-budget", "60", "--replay-out", replay, "--no-pcap",
        ])
        #expect(fuzz.status == 1, "\(fuzz.output)\(fuzz.error)")
        let replayed = try LockstepBinary.run(binary, ["replay", replay])
        #expect(replayed.status == 1, "\(replayed.output)\(replayed.error)")
        let lines = replayed.output.split(separator: "\n").map(String.init)
        let start = try #require(lines.firstIndex { $0.hasPrefix("explained trace: ") }, "\(replayed.output)")
        let marker = try #require(lines.firstIndex { $0.hasPrefix(">>> VIOLATION expectation: FAIL checkpoints: 0") }, "\(replayed.output)")
        #expect(start < marker)
        #expect(lines[start + 1...marker].contains { $0.contains("CHECKPOINT REQUEST (payload_mismatch)") })
        #expect(lines[start + 1...marker].contains { $0.contains("Flags [S]") })
        #expect(lines[marker + 1].hasSuffix("later entries not shown (--full shows them)"))
        #expect(!replayed.output.contains("Scenarios.ControllerStep"))
        #expect(lines.last == "REPRODUCED")

        let full = try LockstepBinary.run(binary, ["replay", replay, "--full"])
        #expect(full.status == 1)
        #expect(full.output.contains("checkpoint 1 ends: the primary VM runs again"), "\(full.output)")
        #expect(!full.output.contains("later entries not shown"))
        let refused = try LockstepBinary.run(binary, ["replay", replay, "--max-lines", "0"])
        #expect(refused.status == 64)
    }

    @Test("a shrunk failure comes with pcaps of its run next to the replay file; --no-pcap writes none")
    func failurePcaps() throws {
        let replay = directory.appendingPathComponent("pcaps.replay.json").path
        let pcaps = directory.appendingPathComponent("pcaps.replay.pcap").path
        let arguments = [
            "fuzz", Self.library + "/clean-run.yaml", "--runs", "1",
            "--mutant", "payload-offset-off-by-one", "--shrink-budget", "20", "--replay-out", replay,
        ]
        let fuzz = try LockstepBinary.run(binary, arguments)
        #expect(fuzz.status == 1, "\(fuzz.output)\(fuzz.error)")
        #expect(fuzz.output.contains("pcaps of the shrunk run: \(pcaps)/"), "\(fuzz.output)")
        let written = try FileManager.default.contentsOfDirectory(atPath: pcaps)
        #expect(written.contains("client.pcap"), "\(written)")
        #expect(written.contains("primary-nic.pcap"), "\(written)")

        try FileManager.default.removeItem(atPath: pcaps)
        let quiet = try LockstepBinary.run(binary, arguments + ["--no-pcap"])
        #expect(quiet.status == 1, "\(quiet.output)\(quiet.error)")
        #expect(!FileManager.default.fileExists(atPath: pcaps))
        #expect(!quiet.output.contains("pcaps of the shrunk run"))
    }
}
