import ArgumentParser
import Foundation
import Scenarios

/// `lockstep test [DIR]`: runs every scenario file of a directory and prints a pass/fail table.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run every scenario file (*.yaml) of a directory and check its expectations.",
        discussion: """
            Prints one row per scenario (result, checkpoints, virtual end time, wall time, name) \
            and the failing expectations under it. Exit status 1 when any scenario fails or \
            cannot be read. Wall time is measured only for the table; runs are deterministic.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Argument(help: "Directory of scenario files.")
    var directory: String = "scenarios"

    @Option(help: "Output format: text (a table) or json (one object).")
    var format: Format = .text

    @Option(help: "Run only the scenarios whose file name contains this text.")
    var filter: String?

    func run() throws {
        var files: [String]
        do {
            files = try ScenarioRunner.files(in: directory)
        } catch {
            throw ValidationError("cannot list '\(directory)': \(error.localizedDescription)")
        }
        if let filter { files = files.filter { URL(fileURLWithPath: $0).lastPathComponent.contains(filter) } }
        guard !files.isEmpty else { throw ValidationError("no scenario files (*.yaml) in '\(directory)'") }
        var outcomes: [ScenarioOutcome] = []
        if format == .text {
            print("result  ckpts  virtual    wall     scenario")
        }
        let clock = ContinuousClock()
        for file in files {
            let started = clock.now
            let outcome = ScenarioRunner.run(path: file)
            let wall = clock.now - started
            outcomes.append(outcome)
            guard format == .text else { continue }
            let checkpoints = outcome.report.map { String($0.checkpoints.count) } ?? "-"
            let virtual = outcome.report.map { String(format: "%.3fs", Double($0.endTime.nanoseconds) / 1e9) } ?? "-"
            let wallText = String(format: "%.2fs", Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18)
            print("\(pad(outcome.passed ? "PASS" : "FAIL", 8))\(pad(checkpoints, 7))\(pad(virtual, 11))\(pad(wallText, 9))\(outcome.name)")
            if !outcome.passed {
                for line in outcome.lines where !line.hasPrefix("PASS") { print("        " + line) }
            }
        }
        let failed = outcomes.filter { !$0.passed }.count
        if format == .json {
            print(ScenarioOutcomeJSON.suite(outcomes))
        } else {
            print("\(outcomes.count - failed) passed, \(failed) failed")
        }
        if failed > 0 { throw ExitCode(1) }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
