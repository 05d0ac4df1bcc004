import ArgumentParser

/// Every `lockstep` subcommand, in the order `--help` lists them.
enum LockstepSubcommands {
    static let all: [any ParsableCommand.Type] = [
        RunCommand.self,
        DemoCommand.self,
        CompareCommand.self,
        RewriteCommand.self,
        LintCommand.self,
        QemuArgsCommand.self,
        BenchCommand.self,
        TraceCommand.self,
        TestCommand.self,
    ]
}
