import Foundation
import Glibc
import Testing

/// Issue #19, output targets: a failed write is an error with a status other than 0; a device,
/// FIFO or symlink given as an output is written through, never replaced; a failure a fuzz
/// campaign found is never lost for want of a writable --replay-out.
@Suite("lockstep outputs: hostile targets", .serialized)
struct HostileOutputTests {
    static let tinyScenario = """
        duration: 1s
        client:
          workload: {connections: 1, requests: 1}
        expect: {checkpoints: 0}
        """
    static let failingScenario = """
        duration: 1s
        client:
          workload: {connections: 1, requests: 1}
        always: {checkpoints: 5}
        """

    @Test("Standard output on a full device: exit 74 and one line saying so, for reports and help alike",
          arguments: [["qemu-args"], ["--help"], ["figure"], ["demo"]])
    func standardOutputFull(_ arguments: [String]) throws {
        let runner = try HostileRun()
        defer { runner.removeFolder() }
        let outcome = try runner.run(arguments, standardOutput: "/dev/full")
        #expect(outcome.status == 74, "\(arguments): \(outcome.status) \(outcome.error)")
        #expect(outcome.error.contains("cannot write to standard output: No space left on device"), "\(outcome.error)")
    }

    @Test("--trace through a symlink to a full device: the write error is reported, the symlink stays")
    func traceToFullDevice() throws {
        let runner = try HostileRun()
        defer { runner.removeFolder() }
        let link = runner.path("full-link")
        #expect(symlink("/dev/full", link) == 0)
        let scenario = try runner.write("tiny.yaml", Self.tinyScenario)
        let outcome = try runner.run(["run", scenario, "--trace", link])
        #expect(outcome.status != 0)
        #expect(outcome.error.contains("cannot write '\(link)': No space left on device"), "\(outcome.error)")
        #expect(Self.isSymlink(link))
    }

    @Test("--trace, --svg and --html to a FIFO are written through it; the FIFO is still a FIFO",
          arguments: ["trace", "svg", "html"])
    func outputToFIFO(_ kind: String) throws {
        let runner = try HostileRun()
        defer { runner.removeFolder() }
        let fifo = runner.path("out.fifo")
        #expect(mkfifo(fifo, 0o644) == 0)
        let scenario = try runner.write("tiny.yaml", Self.tinyScenario)
        nonisolated(unsafe) var received = Data()
        let reader = Thread { received = FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile() ?? Data() }
        reader.start()
        let arguments = switch kind {
        case "trace": ["run", scenario, "--trace", fifo]
        case "svg": ["ladder", scenario, "--svg", fifo]
        default: ["report", scenario, "--html", fifo]
        }
        let outcome = try runner.run(arguments)
        while reader.isExecuting { usleep(10_000) }
        #expect(outcome.status == 0, "\(kind): \(outcome.error)")
        #expect(!received.isEmpty, "\(kind): nothing came through the FIFO")
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO, "\(kind): the FIFO was replaced")
    }

    @Test("--html to a directory: one line saying it is a directory, exit 2")
    func htmlToDirectory() throws {
        let runner = try HostileRun()
        defer { runner.removeFolder() }
        let scenario = try runner.write("tiny.yaml", Self.tinyScenario)
        let outcome = try runner.run(["report", scenario, "--html", runner.folder])
        #expect(outcome.status == 2)
        #expect(outcome.error == "lockstep report: cannot write '\(runner.folder)': it is a directory\n", "\(outcome.error)")
    }

    @Test("A replay that cannot be written goes to the temporary folder, the output says where, and it replays")
    func replayFallback() throws {
        let runner = try HostileRun()
        defer { runner.removeFolder() }
        let scenario = try runner.write("failing.yaml", Self.failingScenario)
        let target = runner.path("missing/sub/failure.replay.json")
        let outcome = try runner.run(["fuzz", scenario, "--runs", "1", "--shrink-budget", "0", "--no-shrink-workload",
                                      "--no-pcap", "--replay-out", target])
        #expect(outcome.status == 1, "a failure was found: \(outcome.error)")
        let warning = try #require(outcome.errorLines.first { $0.hasPrefix("warning: cannot write '\(target)'") }, "\(outcome.error)")
        let fallback = try #require(warning.split(separator: " ").last { $0.hasSuffix(".replay.json") }.map(String.init))
        defer { unlink(fallback) }
        #expect(outcome.output.contains("replay: lockstep replay \(fallback)"), "\(outcome.output)")
        let replayed = try runner.run(["replay", fallback])
        #expect(replayed.status == 1, "the replay reproduces: \(replayed.error)")
    }

    @Test("fuzz --pcap-dir naming an existing file is refused before the campaign")
    func pcapDirIsAFile() throws {
        let runner = try HostileRun()
        defer { runner.removeFolder() }
        let file = try runner.write("not-a-folder", "x")
        let outcome = try runner.run(["fuzz", "--runs", "1", "--pcap-dir", file])
        #expect(outcome.status == 64)
        #expect(outcome.error.contains("--pcap-dir '\(file)' exists and is not a directory"), "\(outcome.error)")
    }

    @Test("replay exits 2 (not 1, 'reproduced') for a file it cannot use, naming the file and the problem",
          arguments: [
              ("missing.json", nil, "cannot read it: No such file or directory"),
              ("empty.json", "", "the file is empty"),
              ("garbage.json", "not json", "not a replay file: it is not valid JSON, or a number in it is out of range"),
              ("partial.json", #"{"format": 1}"#, "not a replay file: the field 'tool' is missing"),
              ("typed.json", #"{"format": "one"}"#, "not a replay file: the field 'format' should be a whole number"),
              ("future.json", Self.replay(format: 2), "replay format 2 is not one this lockstep reads"),
          ] as [(String, String?, String)])
    func unusableReplayFile(_ name: String, _ content: String?, _ message: String) throws {
        let runner = try HostileRun()
        defer { runner.removeFolder() }
        let path = runner.path(name)
        if let content { try runner.write(name, content) }
        let outcome = try runner.run(["replay", path])
        #expect(outcome.status == 2, "\(name): \(outcome.status) \(outcome.error)")
        #expect(outcome.errorLines.count == 1, "\(outcome.error)")
        #expect(outcome.error.contains(path) && outcome.error.contains(message), "\(outcome.error)")
        #expect(!outcome.error.contains("DecodingError") && !outcome.error.contains("NSCocoaErrorDomain"))
    }

    @Test("fuzz-merge of a file that is not a result names it and exits 2")
    func mergeOfGarbage() throws {
        let runner = try HostileRun()
        defer { runner.removeFolder() }
        let file = try runner.write("shard.json", "[]")
        let outcome = try runner.run(["fuzz-merge", file])
        #expect(outcome.status == 2)
        #expect(outcome.error.hasPrefix("lockstep fuzz-merge: \(file): not a fuzz result"), "\(outcome.error)")
        #expect(outcome.errorLines.count == 1)
    }

    static func replay(format: Int) -> String {
        """
        {"format": \(format), "tool": "lockstep fuzz", "scenario": "default", "scenarioHash": "0", "seed": 1,
         "decisions": [], "violations": [], "traceHash": "0"}
        """
    }

    static func isSymlink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }
}
