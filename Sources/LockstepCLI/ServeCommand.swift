import ArgumentParser
import Glibc
import Logging
import Primary
import Daemon
import Deployment

/// `lockstep serve QEMU-ARGS...`: QEMU's standalone colo-compare process, replaced. The
/// arguments that start `qemu-system-x86_64 -M none ... -object colo-compare,...` start this
/// daemon unchanged. The logic is `ServeDaemon` in Daemon; this reads options and exits.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run colo-compare as a daemon over real sockets, from QEMU's own command line.",
        discussion: """
            Lockstep options come first; every argument from the first one lockstep does not know \
            is QEMU's (write `--` before them to be explicit). Accepted: -chardev socket (path= or \
            host=/port=, server, wait, reconnect or reconnect-ms as the QEMU version has it, nodelay), -object iothread, -object colo-compare \
            (every property), -qmp / -mon (a minimal QMP), -pidfile, and -M none -nodefaults \
            -display none -monitor none -serial none. SIGUSR1 prints counters to stderr; SIGTERM \
            or SIGINT flushes every compare (as QEMU deletes them), waits for the output, prints \
            counters and exits 0. Exit status 1 when QEMU would refuse the command line or a \
            socket cannot be opened.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
        var daemonFormat: DecisionLogFormat { self == .json ? .json : .text }
    }

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Option(help: "Write every compare decision here (`-` for stdout).")
    var decisionLog: String?

    @Option(help: "Decision log format: text or json (the formats of `lockstep compare`).")
    var decisionFormat: Format = .text

    @Option(help: "Counters format on SIGUSR1 and at exit: text or json.")
    var countersFormat: Format = .text

    @Option(help: "upstream, qemu-6.2 or fixed.")
    var profile: String = CompareProfile.upstream.name

    @Option(help: "Override what a comparison past the end of a frame sees: heap_garbage, fresh_heap or bounds_checked.")
    var pastFrameReads: String?

    @Option(parsing: .unconditional, help: "Records waiting for a slow outdev/notify_dev peer before inputs pause (0-16777216; 0: no limit, as QEMU).")
    var maxPendingOutput: Int = 65_536

    @Option(help: "deliver: a shutdown writes the flushed primaries to outdev; qemu: lose them as QEMU 7.2 does (it detaches outdev first).")
    var deletionFlush: String = DeletionFlush.deliver.rawValue

    @Option(parsing: .unconditional, help: "Seconds a shutdown waits for outdev to take the flushed records (0-86400).")
    var shutdownTimeout: Double = 5

    @Option(help: "The QEMU whose command line this is: 7.2 or upstream (default: what qemu-system-x86_64 --version on PATH reports; upstream when there is none). 7.2 knows reconnect=, upstream reconnect-ms=.")
    var qemuVersion: QEMUVersion?

    @Flag(help: "Bind TCP servers with an empty host= to every address, as QEMU does (default: loopback).")
    var listenAnyAddress = false

    @Argument(parsing: .captureForPassthrough, help: "QEMU's arguments for a standalone colo-compare.")
    var qemuArguments: [String] = []

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("unknown log level '\(logLevel)'")
        }
        guard CompareProfile(named: profile) != nil else {
            throw ValidationError("unknown profile '\(profile)'; use one of: \(CompareProfile.all.map(\.name).joined(separator: ", "))")
        }
        if let pastFrameReads, PastFrameReads(rawValue: pastFrameReads) == nil {
            throw ValidationError("unknown --past-frame-reads '\(pastFrameReads)'")
        }
        guard DeletionFlush(rawValue: deletionFlush) != nil else {
            throw ValidationError("unknown --deletion-flush '\(deletionFlush)'; use deliver or qemu")
        }
        try OptionRange.check(maxPendingOutput, "--max-pending-output", 0...(1 << 24))
        try OptionRange.check(shutdownTimeout, "--shutdown-timeout", 0...86_400, unit: "seconds")
    }

    func run() throws {
        let logger = ServeLogHandler.logger(level: Logger.Level(rawValue: logLevel) ?? .info)
        var options = ServeOptions()
        var chosen = CompareProfile(named: profile) ?? .upstream
        if let pastFrameReads, let reads = PastFrameReads(rawValue: pastFrameReads) {
            chosen = chosen.overriding(pastFrameReads: reads)
        }
        options.profile = chosen
        options.decisionLogPath = decisionLog
        options.decisionLogFormat = decisionFormat.daemonFormat
        options.countersFormat = countersFormat.daemonFormat
        options.maxPendingOutput = maxPendingOutput
        options.deletionFlush = DeletionFlush(rawValue: deletionFlush) ?? .deliver
        options.shutdownTimeoutMs = Int64((shutdownTimeout * 1000).rounded())
        options.listenAnyAddress = listenAnyAddress
        let arguments = qemuArguments.first == "--" ? Array(qemuArguments.dropFirst()) : qemuArguments
        do {
            let configuration = try ServeArguments.parse(arguments, version: QEMUVersionProbe.choice(given: qemuVersion).version)
            let daemon = ServeDaemon(configuration: configuration, options: options, logger: logger)
            try daemon.start()
            throw ExitCode(daemon.run())
        } catch let error as ServeError {
            StandardError.write("lockstep serve: \(error)\n")
            throw ExitCode(1)
        }
    }
}
