import ArgumentParser
import Deployment
import Scenarios
import Teaching

/// `lockstep figure`: draws the COLO network path of a topology, generated from the model.
struct FigureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure",
        abstract: "Draw the COLO network path of a topology or of two QEMU command lines.",
        discussion: """
            Draws both hosts: each netdev with its filter list in order (queue, what each filter does \
            on the tx and rx walks), colo-compare with its chardevs, and the pipes between chardevs \
            labelled with both ids; then the pipes, the walk order, a legend and the lint's findings, \
            whose markers (!n, in) sit on the components they concern. SCENARIO is 'reference' or a \
            scenario file (its topology is drawn). --primary and --secondary take a file or the command line \
            itself, as lockstep lint does. The figure fits 120 columns. See docs/figure.md.
            """
    )

    enum Style: String, ExpressibleByArgument, CaseIterable {
        case ascii
        case unicode
    }

    @Argument(help: "The topology to draw: reference (the default when no command lines are given) or a scenario file.")
    var scenario: String?

    @Option(help: "Same as SCENARIO (as in lockstep qemu-args).")
    var topology: String?

    @Option(parsing: .unconditional, help: "The primary's QEMU command line: a file, or the text itself (it may start with -).")
    var primary: String?

    @Option(parsing: .unconditional, help: "The secondary's QEMU command line: a file, or the text itself (it may start with -).")
    var secondary: String?

    @Flag(help: "Draw with Unicode box-drawing characters instead of ASCII.")
    var unicode = false

    @Option(help: "Draw one component in heavy lines, e.g. primary/filter/m0 or link/primary/mirror0/secondary/red0.")
    var highlight: String?

    @Option(help: "Which host is started first, for the lint's start-order check: primary or secondary.")
    var startedFirst: HostRole = .primary

    @Option(help: "The QEMU the lint's findings are for: 7.2 or upstream (default: the one on PATH, else upstream).")
    var qemuVersion: QEMUVersion?

    @Flag(help: "List the ids of the components the figure draws, for --highlight, and exit.")
    var listComponents = false

    func validate() throws {
        let commandLines = primary != nil || secondary != nil
        if commandLines && (primary == nil || secondary == nil) {
            throw ValidationError("give both --primary and --secondary")
        }
        if commandLines && (scenario != nil || topology != nil) {
            throw ValidationError("give either a SCENARIO or --primary and --secondary, not both")
        }
        if scenario != nil && topology != nil {
            throw ValidationError("give the scenario once: as SCENARIO or with --topology")
        }
        if let highlight, ComponentID(parsing: highlight) == nil {
            throw ValidationError("--highlight '\(highlight)' is not a component id; see --list-components")
        }
    }

    func run() throws {
        let subject: FigureSubject
        if let primary, let secondary {
            do {
                subject = try FigureSubject.commandLines(
                    primary: CommandLineArgument.text(of: primary),
                    secondary: CommandLineArgument.text(of: secondary),
                    title: "\(CommandLineArgument.name(of: primary)) + \(CommandLineArgument.name(of: secondary))",
                    options: LintOptions(startedFirst: startedFirst, qemu: QEMUVersionProbe.choice(given: qemuVersion))
                )
            } catch let error as TextFile.ReadError {
                printError("lockstep figure: \(error)")
                throw ExitCode(2)
            } catch let error as QEMUArgsError {
                printError("lockstep figure: \(error)")
                throw ExitCode(2)
            }
        } else {
            let chosen = try TopologyScenario.topology(scenario ?? topology ?? "reference")
            subject = FigureSubject(topology: chosen.topology, title: chosen.title,
                                    options: LintOptions(startedFirst: startedFirst, qemu: QEMUVersionProbe.choice(given: qemuVersion)))
        }
        let drawing = FigureRenderer.draw(
            subject,
            style: unicode ? .unicode : .ascii,
            highlight: highlight.flatMap(ComponentID.init(parsing:))
        )
        if listComponents {
            for component in drawing.components {
                print(component)
            }
            return
        }
        print(drawing.text, terminator: "")
    }
}

/// A `--primary`/`--secondary` value: the command line itself when it reads like one (starts
/// with `-`, or spans lines), otherwise a file holding it, read as `lockstep lint` reads its
/// files. A value that names no file but contains spaces is taken as the text (a pasted
/// `qemu-system-x86_64 -netdev ...`).
enum CommandLineArgument {
    static func isInline(_ value: String) -> Bool {
        let trimmed = value.drop { $0 == " " || $0 == "\t" }
        return trimmed.hasPrefix("-") || value.contains("\n")
    }

    static func text(of value: String) throws -> String {
        if isInline(value) { return value }
        do {
            return try TextFile.read(value)
        } catch {
            if value.contains(" ") { return value }
            throw error
        }
    }

    /// What the title calls the command line: the file's name without its folder, or "inline".
    static func name(of value: String) -> String {
        if isInline(value) || value.contains(" ") { return "inline" }
        return value.split(separator: "/").last.map(String.init) ?? value
    }
}
