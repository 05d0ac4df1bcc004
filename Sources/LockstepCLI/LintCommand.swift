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
            name, comments and backslash-newline continuations are allowed) or inline with \
            --primary and --secondary. Exit status: 0 when no finding is an error, 1 when one is, \
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
                options: LintOptions(startedFirst: startedFirst)
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

/// Reads a whole text file with the C library (the CLI has no Foundation dependency). Shared by
/// the subcommands that read QEMU command lines (lint, figure).
enum TextFile {
    struct ReadError: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot read \(path): \(reason)" }
    }

    static func read(_ path: String) throws -> String {
        guard let file = fopen(path, "rb") else {
            throw ReadError(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count > 0 { bytes.append(contentsOf: buffer[0..<count]) }
            if count < buffer.count {
                if ferror(file) != 0 {
                    throw ReadError(path: path, reason: "read error")
                }
                break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    let bytes = Array((message + "\n").utf8)
    bytes.withUnsafeBufferPointer { buffer in
        _ = write(2, buffer.baseAddress, buffer.count)
    }
}
