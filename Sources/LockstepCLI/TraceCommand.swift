import ArgumentParser
import Fabric
import Benchmarks

/// `lockstep trace`: runs the small pipe simulation for a seed and prints its trace hash and
/// summary. Diagnostic: two runs with one seed must print the same text.
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Run a small deterministic pipe simulation and print its trace hash.",
        shouldDisplay: false
    )

    @Option(parsing: .unconditional, help: "Seed of the simulation's random choices.")
    var seed: UInt64

    @Option(parsing: .unconditional, help: "Number of events to run (1-10000000).")
    var events: Int = 1_000

    @Flag(help: "Also print every executed event (index, time in ns, label).")
    var full = false

    func validate() throws {
        try OptionRange.check(events, "--events", 1...10_000_000)
    }

    func run() throws {
        let result = try PipeTraceDemo.run(seed: seed, events: events, keepTrace: full)
        print(result.report(includingTrace: full))
    }
}
