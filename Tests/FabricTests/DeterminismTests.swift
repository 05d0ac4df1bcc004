import Foundation
import Testing
@testable import Fabric
@testable import Benchmarks
import LockstepTestSupport

@Suite("Determinism")
struct DeterminismTests {
    @Test("One seed gives the same event sequence twice in one process")
    func sameSeedSameRunInProcess() throws {
        let first = try PipeTraceDemo.run(seed: 7, events: 3_000)
        let second = try PipeTraceDemo.run(seed: 7, events: 3_000)
        #expect(first.trace.count == 3_000)
        #expect(first.traceHash == second.traceHash)
        #expect(first.trace == second.trace)
        #expect(first == second)
        // The run exercised what it is meant to: chunking, backpressure, correct delivery.
        #expect(!first.decisions.isEmpty)
        #expect(first.pipes.allSatisfy { $0.mismatchedFrames == 0 && $0.counters.decoder.framesDelivered > 0 })
        #expect(first.pipes.contains { $0.counters.writesWouldBlock > 0 })
    }

    @Test("Different seeds give different runs")
    func differentSeedsDiffer() throws {
        let seven = try PipeTraceDemo.run(seed: 7, events: 500, keepTrace: false)
        let eight = try PipeTraceDemo.run(seed: 8, events: 500, keepTrace: false)
        #expect(seven.traceHash != eight.traceHash)
    }

    @Test("Replaying a run's recorded decisions reproduces its trace exactly")
    func replayReproducesTrace() throws {
        let original = try PipeTraceDemo.run(seed: 41, events: 2_000)
        let replayed = try PipeTraceDemo.run(seed: 41, chooser: ReplayingChooser(decisions: original.decisions), events: 2_000)
        #expect(replayed.traceHash == original.traceHash)
        #expect(replayed.trace == original.trace)
    }

    @Test("A shortened decision list still replays to a valid run (canonical fallback)")
    func shortenedReplayIsValid() throws {
        let original = try PipeTraceDemo.run(seed: 41, events: 2_000, keepTrace: false)
        let prefix = Array(original.decisions.prefix(original.decisions.count / 2))
        let shrunk = try PipeTraceDemo.run(seed: 41, chooser: ReplayingChooser(decisions: prefix), events: 2_000, keepTrace: false)
        #expect(shrunk.events == 2_000)
        #expect(shrunk.pipes.allSatisfy { $0.mismatchedFrames == 0 })
    }

    @Test("One seed gives the same output from two separate `lockstep trace` processes")
    func sameSeedSameRunAcrossProcesses() throws {
        let binary = try #require(LockstepBinary.locate(), "\(LockstepBinary.notFoundMessage)")
        let arguments = ["trace", "--seed", "7", "--events", "2000", "--full"]
        let first = try LockstepBinary.run(binary, arguments)
        let second = try LockstepBinary.run(binary, arguments)
        #expect(first.status == 0, "lockstep exited with \(first.status): \(first.error)")
        #expect(second.status == 0)
        #expect(first.output.contains("trace-hash 0x"))
        #expect(first.output.split(separator: "\n").count > 2_000)
        #expect(first.output == second.output)
        // And the same as this process computes: Swift's per-process hash seeding must not
        // reach the run.
        let inProcess = try PipeTraceDemo.run(seed: 7, events: 2_000).report(includingTrace: true)
        #expect(first.output == inProcess + "\n")
    }
}
