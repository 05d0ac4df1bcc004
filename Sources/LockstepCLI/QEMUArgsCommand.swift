import ArgumentParser
import Deployment
import Scenarios

/// `lockstep qemu-args`: prints the two QEMU command lines that build a topology.
struct QEMUArgsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qemu-args",
        abstract: "Print the primary's and secondary's QEMU command lines for a topology.",
        discussion: """
            The output is written for one QEMU version, named in its first line: 7.2 or upstream \
            (which takes reconnect-ms= where 7.2 takes reconnect=); by default what \
            qemu-system-x86_64 --version on PATH reports, upstream when there is none. Start the \
            primary first. SCENARIO is 'reference' (the documented topology, spec §10, the \
            default) or a scenario file, whose topology (its qemu: command lines) is exported.
            """
    )

    enum Which: String, ExpressibleByArgument, CaseIterable {
        case both
        case primary
        case secondary
    }

    @Argument(help: "The topology to export: reference (the default) or a scenario file.")
    var scenario: String?

    @Option(help: "Same as SCENARIO.")
    var topology: String?

    @Option(help: "Which command line to print: both, primary or secondary.")
    var host: Which = .both

    @Option(help: "The QEMU to write for: 7.2 or upstream (default: the one on PATH, else upstream).")
    var qemuVersion: QEMUVersion?

    func validate() throws {
        if scenario != nil && topology != nil {
            throw ValidationError("give the scenario once: as SCENARIO or with --topology")
        }
    }

    func run() throws {
        let chosen = try TopologyScenario.topology(scenario ?? topology ?? "reference").topology
        let version = QEMUVersionProbe.choice(given: qemuVersion)
        switch host {
        case .both:
            print("# Version: \(version).")
            print(QEMUArgsExporter.export(chosen, version: version.version))
        case .primary:
            print("# primary, for \(version)")
            print(QEMUArgsExporter.commandLine(for: chosen.primary, version: version.version))
        case .secondary:
            print("# secondary, for \(version)")
            print(QEMUArgsExporter.commandLine(for: chosen.secondary, version: version.version))
        }
    }
}
