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

    @Argument(help: "A scenario file (YAML).")
    var file: String

    @Option(help: "The QEMU to run (default: $LOCKSTEP_QEMU or qemu-system-x86_64 on $PATH).")
    var qemu: String?

    func run() throws {
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
}
