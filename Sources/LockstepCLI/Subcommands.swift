import ArgumentParser

/// Every `lockstep` subcommand, in the order `--help` lists them.
enum LockstepSubcommands {
    static let all: [any ParsableCommand.Type] = [
        RunCommand.self,
        TestCommand.self,
        DemoCommand.self,
        CompareCommand.self,
        RewriteCommand.self,
        LintCommand.self,
        QEMUArgsCommand.self,
        FigureCommand.self,
        WalkCommand.self,
        LadderCommand.self,
        ReportCommand.self,
        FuzzCommand.self,
        ReplayCommand.self,
        FuzzMergeCommand.self,
        FuzzInputCommand.self,
        SweepFailoverCommand.self,
        SweepMergeCommand.self,
        ServeCommand.self,
        BenchCommand.self,
        BenchServeCommand.self,
        TraceCommand.self,
        DiffBackendsCommand.self,
    ]
}
