import ArgumentParser
import Fabric

@main
struct Lockstep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lockstep",
        abstract: "Deterministic emulation of QEMU's COLO network path.",
        version: LockstepVersion.string,
        subcommands: LockstepSubcommands.all
    )
}
