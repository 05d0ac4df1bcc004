import ArgumentParser
import Foundation
import Scenarios
import Teaching

/// `lockstep report SCENARIO --html OUT.html`: the run as one self-contained HTML page.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a run as one self-contained HTML page (figure, ladder, checkpoints, queue depths, invariants).")

    @Argument(help: "A scenario file, or `default`.")
    var scenario: String = "default"

    @Option(help: "The HTML file to write.")
    var html: String

    @Option(parsing: .unconditional, help: "Virtual time to run, e.g. 2s (default: the scenario's; positive, at most 100 days).")
    var duration: DurationArgument?

    func validate() throws {
        try OptionRange.check(duration, "--duration", positive: true)
    }

    func run() throws {
        let configuration = try TeachScenario.configuration(scenario, duration: duration)
        let run = try TeachScenario.run(configuration)
        let title = scenario == "default" ? "Lockstep run: default scenario" : "Lockstep run: \(scenario)"
        do {
            try OutputFile.write(HTMLReport.page(run, title: title), to: html)
        } catch {
            printError("lockstep report: \(error)")
            throw ExitCode(2)
        }
    }
}
