import ArgumentParser
import Fabric
import Primary
import Secondary
import Scenarios
import Benchmarks

/// `lockstep bench`: times the registered benchmark cases in this process and prints a table.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput of framing, scheduler, pipes and the engines (use a release build)."
    )

    /// Every module's cases; add a module's list here when it has one.
    static var cases: [BenchmarkCase] {
        FabricBenchmarks.all + CompareBenchmarks.all + RewriterBenchmarks.all + StackBenchmarks.all + COLOBenchmark.all
    }

    @Option(help: "Run only cases whose name contains this text (plus their baselines).")
    var only: String?

    @Option(help: "Iterations per case instead of each case's default.")
    var iterations: Int?

    @Flag(help: "List the cases and exit.")
    var list = false

    func validate() throws {
        if let iterations, iterations < 1 {
            throw ValidationError("--iterations must be at least 1")
        }
    }

    func run() throws {
        if list {
            for benchmark in Self.cases {
                print("\(benchmark.name) (\(benchmark.unit), \(benchmark.defaultIterations) iterations)")
            }
            return
        }
        let selected = BenchmarkRunner.select(Self.cases, matching: only)
        guard !selected.isEmpty else {
            throw ValidationError("no benchmark case matches '\(only ?? "")'; see --list")
        }
        var results: [BenchmarkResult] = []
        for benchmark in selected {
            results.append(BenchmarkRunner.run(benchmark, iterations: iterations))
        }
        print(BenchmarkRunner.table(results))
        #if DEBUG
        print("note: debug build; figures are meaningful only from `swift build -c release`")
        #endif
    }
}
