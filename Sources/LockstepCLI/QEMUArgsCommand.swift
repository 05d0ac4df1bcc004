import ArgumentParser
import Deployment
import Scenarios

/// `lockstep qemu-args`: prints the two QEMU command lines that build a topology.
struct QEMUArgsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qemu-args",
        abstract: "Print the primary's and secondary's QEMU command lines for a topology.",
        discussion: """
            The output is valid for QEMU 7.2 and upstream; start the primary first. SCENARIO is \
            'reference' (the documented topology, spec §10, the default) or a scenario file, whose \
            topology (its qemu: command lines) is exported.
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

    func validate() throws {
        if scenario != nil && topology != nil {
            throw ValidationError("give the scenario once: as SCENARIO or with --topology")
        }
    }

    func run() throws {
        let chosen = try TopologyScenario.topology(scenario ?? topology ?? "reference").topology
        switch host {
        case .both: print(QEMUArgsExporter.export(chosen))
        case .primary: print(QEMUArgsExporter.commandLine(for: chosen.primary))
        case .secondary: print(QEMUArgsExporter.commandLine(for: chosen.secondary))
        }
    }
}
