import ArgumentParser
import Foundation
import Fabric

@main
struct Lockstep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lockstep",
        abstract: "Deterministic emulation of QEMU's COLO network path.",
        version: LockstepVersion.string,
        subcommands: LockstepSubcommands.all
    )

    /// Bad input gets one clear line on stderr ("Error: …") and exit status 64 (usage) or 1,
    /// without the usage text ArgumentParser would append; help and version print as usual.
    static func main() {
        StandardOutput.checkAtExit()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let text = message(for: error).split(whereSeparator: \.isNewline).joined(separator: " ")
            guard code != .success, !text.isEmpty else { exit(withError: error) }
            printError("Error: \(text)")
            Foundation.exit(code.rawValue)
        }
    }
}
