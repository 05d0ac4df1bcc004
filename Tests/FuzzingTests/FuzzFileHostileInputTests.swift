import Foundation
import Glibc
import Testing
@testable import Fuzzing

/// Issue #19, the fuzzer's files and long work: a replay file or shard result it cannot use is
/// one line naming the file and the field, never Decodable's wording; an unknown replay format
/// is refused; an exhaustive enumeration stops when told to.
@Suite("fuzzing files and long work: hostile input")
struct FuzzFileHostileInputTests {
    static func file(_ content: String) throws -> String {
        let path = "/tmp/lockstep-fuzz-file-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json"
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let replayFields = #""tool": "t", "scenario": "default", "scenarioHash": "0", "seed": 1, "decisions": [], "violations": [], "traceHash": "0""#

    @Test("Replay files that cannot be used: the reason in plain words, after the file's name",
          arguments: [
              ("", "the file is empty; expected a replay file"),
              ("{", "not a replay file: it is not valid JSON, or a number in it is out of range"),
              (#"{"format": 1}"#, "not a replay file: the field 'tool' is missing"),
              (#"{"format": 1, \#(replayFields.replacingOccurrences(of: #""seed": 1"#, with: #""seed": "one""#))}"#,
               "not a replay file: the field 'seed' should be a whole number"),
              (#"{"format": 1, \#(replayFields.replacingOccurrences(of: #""decisions": []"#, with: #""decisions": [1, -2]"#))}"#,
               "not a replay file: it is not valid JSON, or a number in it is out of range"),
              (#"{"format": 9, \#(replayFields)}"#,
               "replay format 9 is not one this lockstep reads (format 1); re-record it with this version's lockstep fuzz"),
          ])
    func unusableReplay(_ content: String, _ reason: String) throws {
        let path = try Self.file(content)
        defer { unlink(path) }
        #expect(throws: JSONFileProblem(path: path, reason: reason)) { try ReplayFile.load(path: path) }
    }

    @Test("A replay file that is a directory or missing names the file and the system's reason")
    func unreadableReplay() {
        #expect(throws: JSONFileProblem(path: "/tmp", reason: "cannot read it: it is a directory")) { try ReplayFile.load(path: "/tmp") }
        #expect(throws: JSONFileProblem(path: "/nonexistent.json", reason: "cannot read it: No such file or directory")) {
            try ReplayFile.load(path: "/nonexistent.json")
        }
    }

    @Test("A shard result that is not one says so, naming the file")
    func unusableResult() throws {
        let path = try Self.file(#"{"scenario": "x"}"#)
        defer { unlink(path) }
        #expect(throws: JSONFileProblem(path: path, reason: "not a fuzz result (lockstep fuzz --format json): the field 'scenarioHash' is missing")) {
            try FuzzResult.load(path: path)
        }
    }

    @Test("An exhaustive enumeration stops when told (a --time limit) and says it stopped early")
    func exhaustiveStops() {
        var enumerator = ExhaustiveEnumerator(bound: 1_000)
        nonisolated(unsafe) var asked = 0
        enumerator.proceeds = {
            asked += 1
            return asked < 3
        }
        let outcome = enumerator.enumerate { _ in [(maxOffset: 5, offset: 0), (maxOffset: 5, offset: 0)] }
        #expect(outcome.schedules == 3 && outcome.stoppedEarly && !outcome.covered)
        #expect(outcome.text(scenario: "s", failures: []).hasPrefix("lockstep fuzz s: exhaustive, 3 schedule(s) run, time limit reached"))
    }
}
