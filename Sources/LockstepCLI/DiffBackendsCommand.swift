import ArgumentParser
import Foundation
import Scenarios
import QEMUBackend

/// `lockstep diff-backends SCENARIO`: runs a scenario emulated and on real QEMU and prints the
/// first decision where they part, with both sides' explanations.
struct DiffBackendsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff-backends",
        abstract: "Run a scenario emulated and on two real QEMU processes, and show where they part.",
        discussion: """
            Decisions are compared track by track, in order: checkpoint reasons, failovers, the \
            frames released per flow, what the client read, the invariants' verdicts. Times are \
            shown, never compared. Exit status 0 when the runs agree (or differ as the scenario's \
            real_qemu note documents), 1 when they differ otherwise, 2 when QEMU cannot run. See \
            docs/real-qemu.md.
            """
    )

    @Argument(help: "A scenario file (YAML), or a directory of them (one row per scenario).")
    var file: String

    @Option(help: "With a directory: only the scenarios whose file name contains this text.")
    var filter: String?

    @Option(help: "The QEMU to run (default: $LOCKSTEP_QEMU or qemu-system-x86_64 on $PATH).")
    var qemu: String?

    func run() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), isDirectory.boolValue {
            return try runDirectory()
        }
        let scenario: Scenario
        do {
            scenario = try ScenarioParser.load(path: file)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(2)
        }
        let binary = try BackendArgument.qemu(path: qemu).qemuBinary()
        let comparison = BackendComparison.run(scenario, binary: binary)
        print(comparison.text)
        if comparison.diff == nil { throw ExitCode(2) }
        if !comparison.matchesDocumentation { throw ExitCode(1) }
    }

    /// Every scenario of the directory, a row each, then the totals. Exit status 1 when any
    /// scenario differs from what its note documents.
    private func runDirectory() throws {
        let files: [String]
        do {
            files = try ScenarioRunner.files(in: file, nameContaining: filter)
        } catch {
            throw ValidationError("cannot list '\(file)': \(error.localizedDescription)")
        }
        guard !files.isEmpty else { throw ValidationError("no scenario files (*.yaml) in '\(file)'") }
        let binary = try BackendArgument.qemu(path: qemu).qemuBinary()
        print(BackendComparisonTable.header)
        var comparisons: [BackendComparison] = []
        let clock = ContinuousClock()
        for path in files {
            let scenario: Scenario
            do {
                scenario = try ScenarioParser.load(path: path)
            } catch {
                print("ERROR    \(path): \(error.description)")
                continue
            }
            let started = clock.now
            let comparison = BackendComparison.run(scenario, binary: binary)
            comparisons.append(comparison)
            print(BackendComparisonTable.row(comparison, wall: clock.now - started))
        }
        print(BackendComparisonTable.totals(comparisons))
        if comparisons.contains(where: { !$0.matchesDocumentation }) { throw ExitCode(1) }
    }
}
