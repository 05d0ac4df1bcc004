import ArgumentParser
import Glibc
import Deployment
import Scenarios

/// `lockstep lint`: checks a primary and a secondary QEMU command line for mistakes that stop
/// QEMU or break the COLO network path. Exit status: 0 no errors, 1 errors found, 2 unusable input.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check the primary's and secondary's QEMU command lines of a COLO set-up.",
        discussion: """
            Give the two command lines as files (one option per line or one long line; the program \
            name, comments and backslash-newline continuations are allowed; at most 2 MiB each) or \
            inline with --primary and --secondary. The findings are about one QEMU version, named \
            on the report's first line. Exit status: 0 when no finding is an error, 1 when one is, \
            2 when the input cannot be read. See docs/qemu-args.md for every rule.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Argument(help: "File with the primary's QEMU command line.")
    var primaryFile: String?

    @Argument(help: "File with the secondary's QEMU command line.")
    var secondaryFile: String?

    @Option(parsing: .unconditional, help: "The primary's command line as text (instead of PRIMARY_FILE); it may start with -.")
    var primary: String?

    @Option(parsing: .unconditional, help: "The secondary's command line as text (instead of SECONDARY_FILE); it may start with -.")
    var secondary: String?

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(help: "Which host is started first: primary (documented) or secondary.")
    var startedFirst: HostRole = .primary

    @Option(help: "The QEMU the command lines are for: 7.2 or upstream (default: what qemu-system-x86_64 --version on PATH reports; upstream when there is none).")
    var qemuVersion: QEMUVersion?

    @Flag(help: "List the rules and exit.")
    var listRules = false

    func validate() throws {
        if listRules { return }
        if (primaryFile == nil) == (primary == nil) {
            throw ValidationError("give the primary's command line either as PRIMARY_FILE or with --primary")
        }
        if (secondaryFile == nil) == (secondary == nil) {
            throw ValidationError("give the secondary's command line either as SECONDARY_FILE or with --secondary")
        }
    }

    func run() throws {
        if listRules {
            print(LintRule.list)
            return
        }
        let report: LintReport
        do {
            let primaryText = try primary ?? TextFile.read(primaryFile ?? "")
            let secondaryText = try secondary ?? TextFile.read(secondaryFile ?? "")
            report = try QEMUArgsLinter.lint(
                primary: primaryText,
                secondary: secondaryText,
                options: LintOptions(startedFirst: startedFirst, qemu: QEMUVersionProbe.choice(given: qemuVersion))
            )
        } catch let error as TextFile.ReadError {
            printError("lockstep lint: \(error)")
            throw ExitCode(2)
        } catch let error as QEMUArgsError {
            printError("lockstep lint: \(error)")
            throw ExitCode(2)
        }
        switch format {
        case .text: print(report.text(), terminator: "")
        case .json: print(report.json(), terminator: "")
        }
        if report.hasErrors {
            throw ExitCode(1)
        }
    }
}

extension HostRole: ExpressibleByArgument {}

extension QEMUVersion: ExpressibleByArgument {}

/// Writes a line to standard error.
func printError(_ message: String) {
    let bytes = Array((message + "\n").utf8)
    bytes.withUnsafeBufferPointer { buffer in
        _ = write(2, buffer.baseAddress, buffer.count)
    }
}
