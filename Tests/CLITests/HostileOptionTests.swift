import Foundation
import Testing

/// Issue #19, option ranges: every numeric option outside its documented range is refused with
/// one line naming the option (exit 64), never a trap, an abort or hours of work; a negative
/// number after an option is its value; absurd work is refused with its price.
@Suite("lockstep options: hostile values")
struct HostileOptionTests {
    /// (arguments, text the one-line error must contain)
    static let refused: [([String], String)] = [
        (["run", "--think-ms", "9223372036854775807"], "--think-ms must be between 0 and 3600000"),
        (["run", "--latency-us", "9223372036854775807"], "--latency-us must be between 0 and 60000000"),
        (["run", "--jitter-us", "-1"], "--jitter-us must be between 0 and 60000000 (got -1)"),
        (["run", "--connections", "4294967296"], "--connections must be between 1 and 100000"),
        (["run", "--requests", "0"], "--requests must be between 1 and 1000000"),
        (["run", "--response-size", "1000000000000"], "--response-size must be between 0 and 268435456"),
        (["run", "--loss-ppm", "-1"], "--loss-ppm must be between 0 and 1000000 (got -1)"),
        (["run", "--time-limit-s", "9223372036854775807", "--topology", "direct"], "--time-limit-s must be between 1 and 86400"),
        (["run", "--checkpoint-delay", "1ns"], "--checkpoint-delay must be whole milliseconds"),
        (["run", "--checkpoint-delay", "10ns"], "--checkpoint-delay must be whole milliseconds"),
        (["run", "--checkpoint-delay", "1.5ms"], "--checkpoint-delay must be whole milliseconds"),
        (["run", "--secondary-delay", "-1s"], "--secondary-delay must be zero or more (got -1s)"),
        (["run", "--duration", "9223372036ms"], "--duration must be at most 100 days"),
        (["run", "--lose-primary-at", "31s"], "--lose-primary-at must be at most the run's duration (30s)"),
        (["run", "--diverge-at", "1h"], "The value '1h' is invalid for '--diverge-at"),
        (["run", "--connections", "100000", "--response-size", "100000"], "this run is refused: its workload asks to move"),
        (["run", "--duration", "8640000s", "--checkpoint-delay", "1ms"], "this run is refused: it would need about"),
        (["fuzz", "--time", "inf"], "--time must be a number of seconds between"),
        (["fuzz", "--time", "nan"], "--time must be a number of seconds between"),
        (["fuzz", "--runs", "1000000000000"], "--runs 1000000000000 is refused"),
        (["fuzz", "--shrink-budget=-1"], "--shrink-budget must be between 0 and 1000000 (got -1)"),
        (["fuzz", "--jobs", "0"], "--jobs must be between 1 and 1024"),
        (["fuzz", "--shard", "1/0"], "--shard must be K/N"),
        (["compare", "a.pcap", "b.pcap", "--checkpoint-at=-1"], "--checkpoint-at must be between 0 and"),
        (["compare", "a.pcap", "b.pcap", "--compare-timeout", "-1"], "--compare-timeout must be between 1 and 4294967295 (got -1)"),
        (["compare", "a.pcap", "b.pcap", "--max-queue-size", "4294967296"], "--max-queue-size must be between 1 and 4294967295"),
        (["rewrite", "a.pcap", "--guest-ip", "10.0.0.1", "--out", "o.pcap", "--failover-at=-1"], "--failover-at must be between 0 and"),
        (["rewrite", "a.pcap", "--guest-ip", "10.0.0.1", "--out", "o.pcap", "--checkpoint-at", "-1"], "--checkpoint-at must be between 0 and"),
        (["ladder", "--from", "5s", "--to", "1s"], "--to (1s) must not be before --from (5s)"),
        (["ladder", "--max-rows=-1"], "--max-rows must be between 1 and 1000000 (got -1)"),
        (["ladder", "--from", "31s"], "--from 31s is after the run's end (30s)"),
        (["replay", "x.json", "--max-lines", "0"], "--max-lines must be between 1 and 1000000"),
        (["sweep-failover", "x.yaml", "--max-points=-1"], "--max-points must be between 0 and 1000000"),
        (["trace", "--seed", "1", "--events", "99999999999"], "--events must be between 1 and 10000000"),
        (["bench", "--iterations", "0"], "--iterations must be between 1 and 1000000000"),
    ]

    @Test("Out of range: exit 64 and one line naming the option", arguments: refused)
    func refusedWithOneLine(_ arguments: [String], _ message: String) throws {
        let runner = try HostileRun()
        defer { runner.removeFolder() }
        let outcome = try runner.run(arguments)
        #expect(!outcome.signalled && !outcome.timedOut, "\(arguments): crashed or hung")
        #expect(outcome.status == 64, "\(arguments): status \(outcome.status), \(outcome.error)")
        #expect(outcome.errorLines.count == 1, "\(arguments): \(outcome.error)")
        #expect(outcome.error.contains(message), "\(arguments): \(outcome.error)")
        #expect(!outcome.error.contains("Missing value"), "\(arguments): \(outcome.error)")
    }

    @Test("A QEMU command line passed as one value that starts with - is taken as the value")
    func commandLineStartingWithDash() throws {
        let runner = try HostileRun()
        defer { runner.removeFolder() }
        let exported = try runner.run(["qemu-args", "--host", "primary"]).output
        let secondary = try runner.run(["qemu-args", "--host", "secondary"]).output
        let primaryLines = exported.split(separator: "\n").dropFirst().map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \\")) }
        let secondaryLines = secondary.split(separator: "\n").dropFirst().map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \\")) }
        let primary = primaryLines.joined(separator: "\n"), second = secondaryLines.joined(separator: "\n")
        #expect(primary.hasPrefix("-"))
        for command in ["lint", "figure"] {
            let outcome = try runner.run([command, "--primary", primary, "--secondary", second])
            #expect(outcome.status == 0, "\(command): \(outcome.error)")
            #expect(!outcome.error.contains("Missing value"), "\(command): \(outcome.error)")
        }
    }

    @Test("A sweep whose range is past the run tests nothing and is refused, naming --from")
    func sweepThatTestsNothing() throws {
        let runner = try HostileRun()
        defer { runner.removeFolder() }
        let scenario = try runner.write("tiny.yaml", """
            duration: 1s
            client:
              workload: {connections: 1, requests: 1}
            expect: {checkpoints: 0}
            """)
        let outcome = try runner.run(["sweep-failover", scenario, "--from", "1000000000"])
        #expect(outcome.status == 64, "\(outcome.error)")
        #expect(outcome.error.contains("--from 1000000000 is past the reference run's last event"), "\(outcome.error)")
    }
}
