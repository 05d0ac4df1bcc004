import ArgumentParser
import Benchmarks

/// `lockstep bench`: times the registered benchmark cases in this process and prints a table.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput of framing, scheduler, pipes and the engines (use a release build)."
    )

    @Option(help: "Run only cases whose name contains this text (plus their baselines).")
    var only: String?

    @Option(parsing: .unconditional, help: "Iterations per case instead of each case's default (1-1000000000).")
    var iterations: Int?

    @Flag(help: "List the cases and exit.")
    var list = false

    func validate() throws {
        try OptionRange.check(iterations, "--iterations", 1...1_000_000_000)
    }

    func run() throws {
        if list {
            print(BenchmarkRunner.list(BenchmarkCatalogue.all))
            return
        }
        let selected = BenchmarkRunner.select(BenchmarkCatalogue.all, matching: only)
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
