import ArgumentParser
import Foundation
import Scenarios
import QEMUBackend

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

    @Option(help: "What runs the network path: emulated (default), qemu or qemu=PATH (two real QEMU processes; runs take wall-clock time).")
    var backend: BackendArgument = .emulated

    func run() throws {
        let files: [String]
        do {
            files = try ScenarioRunner.files(in: directory, nameContaining: filter)
        } catch {
            throw ValidationError("cannot list the scenario directory '\(directory)': \(error.reason)")
        }
        guard !files.isEmpty else { throw ValidationError("no scenario files (*.yaml) in '\(directory)'") }
        var outcomes: [ScenarioOutcome] = []
        if format == .text {
            print(ScenarioOutcomeText.tableHeader)
        }
        let clock = ContinuousClock()
        let binary = backend.isQEMU ? try backend.qemuBinary() : nil
        for file in files {
            let started = clock.now
            let outcome = binary.map { QEMUScenarioRunner.run(path: file, binary: $0) } ?? ScenarioRunner.run(path: file)
            let wall = clock.now - started
            outcomes.append(outcome)
            if format == .text { print(ScenarioOutcomeText.tableRow(outcome, wall: wall)) }
        }
        print(format == .json ? ScenarioOutcomeJSON.suite(outcomes) : ScenarioOutcomeText.tableTotals(outcomes))
        if outcomes.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }
}
