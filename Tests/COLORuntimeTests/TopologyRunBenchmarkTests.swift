import Foundation
import Testing
@testable import GuestStack
@testable import Deployment
@testable import COLORuntime
@testable import Benchmarks

/// The COLO runtime's benchmark as a test, so it runs from a release build without the CLI:
/// `LOCKSTEP_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter TopologyRunBenchmarkTests`
@Suite("COLO runtime benchmark")
struct TopologyRunBenchmarkTests {
    @Test("The benchmark's workload is the default scenario's, scaled, and every invariant holds (small)")
    func smallRun() throws {
        let result = try COLOBenchmark.measure(connections: 3, exchanges: 3)
        #expect(result.invariantsHold)
        #expect(result.hops > 0 && result.schedulerEvents > 0)
        #expect(result.peakResidentBytes > 0)
        let configuration = COLOBenchmark.configuration(connections: 3, exchanges: 3)
        #expect(configuration.workload.requestSize == COLORunConfiguration.defaultScenario.workload.requestSize)
        #expect(configuration.workload.responseSize == COLORunConfiguration.defaultScenario.workload.responseSize)
    }

    @Test("Benchmark: 100 connections × 100 exchanges, hops per second and peak memory (LOCKSTEP_BENCH=1, release build)",
          .enabled(if: ProcessInfo.processInfo.environment["LOCKSTEP_BENCH"] != nil))
    func scaledDefault() throws {
        let result = try COLOBenchmark.measure()
        #expect(result.invariantsHold)
    }
}
