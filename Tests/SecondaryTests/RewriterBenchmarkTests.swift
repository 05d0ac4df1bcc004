import Testing
import Glibc
import Fabric
import Secondary
import Benchmarks


@Suite("Rewriter benchmark")
struct RewriterBenchmarkTests {
    @Test("Benchmark function rewrites every frame of established connections")
    func countsEveryFrame() {
        #expect(RewriterBenchmarks.rewriteEstablished(1_000) == 1_000)
        #expect(RewriterBenchmarks.rewriteEstablished(frames: 10, connections: 1, payloadBytes: 0) == 10)
    }

    /// Measured only on request, with the same runner and table as `lockstep bench`:
    /// LOCKSTEP_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter RewriterBenchmarkTests
    @Test("Benchmark: frames per second (LOCKSTEP_BENCH=1, release build)", .enabled(if: getenv("LOCKSTEP_BENCH") != nil))
    func measure() {
        let cases = FabricBenchmarks.all.filter { $0.name == "memcpy.64B" } + RewriterBenchmarks.all
        let results = cases.map { BenchmarkRunner.run($0) }
        print(BenchmarkRunner.table(results))
        #expect(results.count == cases.count)
    }
}
