import Foundation
import Testing
@testable import Fabric

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

/// Finds and runs the `lockstep` executable built next to the tests.
enum LockstepBinary {
    static var candidates: [URL] {
        var urls: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["LOCKSTEP_BINARY"] {
            urls.append(URL(fileURLWithPath: explicit))
        }
        // The test runner sits in the same build products folder as the executable: on Linux
        // it is the running executable itself, on macOS an .xctest bundle in that folder.
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        urls.append(runner.deletingLastPathComponent().appendingPathComponent("lockstep"))
        if let main = Bundle.main.executableURL {
            urls.append(main.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("lockstep"))
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            urls.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("lockstep"))
        }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        urls.append(packageRoot.appendingPathComponent(".build/debug/lockstep"))
        urls.append(packageRoot.appendingPathComponent(".build/release/lockstep"))
        return urls
    }

    static func locate() -> URL? {
        candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static var notFoundMessage: String {
        "lockstep executable not found (build it with `swift build`, or set LOCKSTEP_BINARY); tried: "
            + candidates.map(\.path).joined(separator: ", ")
    }

    static func run(_ binary: URL, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read before waiting so a full pipe buffer cannot stall the child.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus,
            String(decoding: outputData, as: UTF8.self),
            String(decoding: errorData, as: UTF8.self)
        )
    }
}
