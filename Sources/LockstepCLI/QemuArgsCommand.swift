import ArgumentParser
import Scenarios

/// `lockstep qemu-args`: prints the two QEMU command lines that build a topology.
struct QemuArgsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qemu-args",
        abstract: "Print the primary's and secondary's QEMU command lines for a topology.",
        discussion: """
            The output is valid for QEMU 7.2 and upstream; start the primary first. For now the \
            only topology is 'reference' (the documented one, spec §10); scenario files will follow.
            """
    )

    enum TopologyName: String, ExpressibleByArgument, CaseIterable {
        case reference
    }

    enum Which: String, ExpressibleByArgument, CaseIterable {
        case both
        case primary
        case secondary
    }

    @Option(help: "The topology to export: reference.")
    var topology: TopologyName = .reference

    @Option(help: "Which command line to print: both, primary or secondary.")
    var host: Which = .both

    func run() {
        let chosen: Topology
        switch topology {
        case .reference: chosen = .reference
        }
        switch host {
        case .both: print(QemuArgsExporter.export(chosen))
        case .primary: print(QemuArgsExporter.commandLine(for: chosen.primary))
        case .secondary: print(QemuArgsExporter.commandLine(for: chosen.secondary))
        }
    }
}
