import Testing
@testable import Fabric
@testable import Benchmarks

@Suite("Benchmark harness")
struct BenchmarkHarnessTests {
    @Test("Selecting a case by name brings its baseline along")
    func selectionIncludesBaselines() {
        let names = BenchmarkRunner.select(FabricBenchmarks.all, matching: "framing").map(\.name)
        #expect(names == ["memcpy.64B", "framing.encode-decode.64B"])
        #expect(BenchmarkRunner.select(FabricBenchmarks.all, matching: nil).count == FabricBenchmarks.all.count)
        #expect(BenchmarkRunner.select(FabricBenchmarks.all, matching: "no-such-case").isEmpty)
    }

    @Test("The catalogue holds every module's cases once, in module order; the list names each with its unit and iterations")
    func catalogue() {
        let names = BenchmarkCatalogue.all.map(\.name)
        #expect(Set(names).count == names.count)
        let lists = [FabricBenchmarks.all, CompareBenchmarks.all, RewriterBenchmarks.all, StackBenchmarks.all, COLOBenchmark.all]
        #expect(names == lists.flatMap { $0.map(\.name) })
        let list = BenchmarkRunner.list(FabricBenchmarks.all).split(separator: "\n")
        #expect(list.count == FabricBenchmarks.all.count)
        #expect(list.first == "memcpy.64B (\(FabricBenchmarks.all[0].unit), \(FabricBenchmarks.all[0].defaultIterations) iterations)")
    }

    @Test("Every Fabric case does the work it claims (small iteration counts)")
    func casesDoTheirWork() {
        #expect(FabricBenchmarks.encodeDecodeFrames(2_000) == 2_000 * (64 + 12))
        #expect(FabricBenchmarks.copyFrames(2_000) == 2_000 * 63)
        #expect(FabricBenchmarks.pumpPipeRecords(1_000) == 1_000 * 64)
        for body in [FabricBenchmarks.runSchedulerEvents, FabricBenchmarks.runSchedulerHandlerEvents] {
            let checksum = body(1_000)
            #expect(checksum != 0)
        }
        let scheduler = Scheduler()
        let ticker = FabricBenchmarks.Ticker(scheduler: scheduler, remaining: 500)
        ticker.arm(period: .nanoseconds(10))
        try? scheduler.runUntilIdle()
        #expect(scheduler.executedEvents == 500)
    }

    @Test("A case whose body counts its units is rated on that count, not on its iterations")
    func bodyCountsUnits() {
        let counted = BenchmarkCase(name: "counted", unit: "hops", defaultIterations: 2, bodyCountsUnits: true) { runs in
            UInt64(runs * 1_000)
        }
        #expect(BenchmarkRunner.run(counted).iterations == 2_000)
        let plain = BenchmarkCase(name: "plain", unit: "frames", defaultIterations: 2) { runs in UInt64(runs * 1_000) }
        #expect(BenchmarkRunner.run(plain).iterations == 2)
    }

    @Test("Heap allocations of the timed run are counted per unit and judged against the budget")
    func allocations() throws {
        let allocating = BenchmarkCase(name: "allocating", unit: "blocks", defaultIterations: 1_000, allocationBudget: 0) { count in
            var total: UInt64 = 0
            for index in 0..<count {
                let block = UnsafeMutablePointer<Int>.allocate(capacity: 4)
                block.initialize(to: index)
                total &+= UInt64(block.pointee)
                block.deallocate()
            }
            return total
        }
        let result = BenchmarkRunner.run(allocating)
        let perUnit = try #require(result.allocationsPerUnit, "the counter is linked into the test bundle")
        #expect(perUnit >= 1 && perUnit < 1.01)
        #expect(result.meetsAllocationBudget == false)
        #expect(BenchmarkRunner.table([result]).contains("<= 0 MISSED"))

        let quiet = BenchmarkCase(name: "quiet", unit: "adds", defaultIterations: 1_000, allocationBudget: 0) { count in
            var total: UInt64 = 0
            for index in 0..<count { total &+= UInt64(index) }
            return total
        }
        let quietResult = BenchmarkRunner.run(quiet)
        #expect(quietResult.allocations == 0)
        #expect(BenchmarkRunner.table([quietResult]).contains("0.000 <= 0 ok"))
    }

    @Test("The table reports rate, goal and the ratio to the baseline")
    func table() {
        let results = [
            BenchmarkResult(name: "base", unit: "frames", iterations: 1_000, seconds: 0.001, cpuSeconds: 0.001, goalPerSecond: nil, baseline: nil, checksum: 0),
            BenchmarkResult(name: "case", unit: "frames", iterations: 1_000, seconds: 0.004, cpuSeconds: 0.002, goalPerSecond: 1e6, baseline: "base", checksum: 0),
        ]
        let text = BenchmarkRunner.table(results)
        #expect(text.contains("1.00M"))
        #expect(text.contains("250.00k"), "wall rate of the slower case")
        #expect(text.contains("500.00k"), "CPU rate of the slower case")
        #expect(text.contains(">= 1.00M MISSED"))
        #expect(text.contains("0.50x base"))
        #expect(BenchmarkRunner.fixed(2.005, decimals: 1) == "2.0")
        #expect(BenchmarkRunner.fixed(-0.25, decimals: 2) == "-0.25")
    }
}
