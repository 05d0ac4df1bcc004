import ArgumentParser

/// Every `lockstep` subcommand, in the order `--help` lists them.
enum LockstepSubcommands {
    static let all: [any ParsableCommand.Type] = [
        DemoCommand.self,
        CompareCommand.self,
        RewriteCommand.self,
        BenchCommand.self,
        TraceCommand.self,
        RunCommand.self,
    ]
}
