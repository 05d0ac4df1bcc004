import ArgumentParser
import Foundation
import Fabric
import GuestStack
import Primary
import Secondary
import Deployment
import COLORuntime
import Scenarios
import QEMUBackend

/// `lockstep run`: the main job. With no arguments it runs the patch mail's COLO topology with a
/// request/response client and one divergent secondary response, and reports traffic, each
/// checkpoint with its reason, the latency COLO added and the invariants' verdicts.
/// `--topology direct` runs the workload over one impaired link without COLO.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the COLO topology (or a direct link) with a client workload and report it.",
        discussion: """
            The default topology is the reference COLO deployment (spec §10) with the patch mail's ids: \
            primary hn0 [m0, redire0, redire1] + colo-compare comp0, secondary hn0 [f1, f2, rew0]. \
            Times are virtual. A run whose workload asks to move more than 256 MiB, or whose \
            estimated scheduler events pass 100M (about five minutes), is refused with its estimated \
            cost; on a terminal a run longer than a second shows its progress on stderr. Exit status \
            1 when an invariant is violated or a watchdog ended the run, 2 when the direct workload \
            did not complete, 64 for options out of range, 74 when the report cannot be written.
            """
    )

    enum Topology: String, ExpressibleByArgument, CaseIterable {
        case colo
        case direct
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Argument(help: "A scenario file (YAML, see docs/scenarios.md): run it and check its expectations. Only --backend, --format, --trace, --pcap-dir and --check-determinism apply to it.")
    var file: String?

    @Option(help: "What runs the network path: emulated (default), qemu (two real QEMU processes, the QEMU on $PATH or $LOCKSTEP_QEMU) or qemu=PATH (any QEMU build). See docs/real-qemu.md.")
    var backend: BackendArgument = .emulated

    @Option(help: "Topology to run: colo (the reference COLO pair, default) or direct (one client, one guest, one link).")
    var topology: Topology = .colo

    @Option(parsing: .unconditional, help: "Seed of every random choice (ISNs, link impairments, chunk splits, knobs); default 1, or a scenario file's own seed.")
    var seed: UInt64?

    @Option(help: "Output format: text or json (one JSON object).")
    var format: Format = .text

    @Option(parsing: .unconditional, help: "COLO: virtual time to run, e.g. 30s, 1500ms (default 30s; positive, at most 100 days).")
    var duration: DurationArgument?

    @Option(help: "COLO: write every event of the run as JSON lines to this file.")
    var trace: String?

    @Option(help: "COLO: write one pcap per link (client, guest NICs, chardev sockets, compare output) into this directory.")
    var pcapDir: String?

    @Flag(help: "COLO: run twice and compare the trace hashes.")
    var checkDeterminism = false

    @Option(parsing: .unconditional, help: "COLO: x-checkpoint-delay, e.g. 20000ms (default 20s; whole milliseconds, 1ms to 4294967295ms, as QEMU).")
    var checkpointDelay: DurationArgument?

    @Option(parsing: .unconditional, help: "COLO: the primary host is lost at this time (0 to the run's duration); the secondary takes over.")
    var losePrimaryAt: DurationArgument?

    @Option(parsing: .unconditional, help: "COLO: the secondary host is lost at this time (0 to the run's duration); the primary continues alone.")
    var loseSecondaryAt: DurationArgument?

    @Option(parsing: .unconditional, help: "COLO: from this time the secondary guest serves one divergent response (default 1s; 0 to the run's duration).")
    var divergeAt: DurationArgument?

    @Flag(help: "COLO: no divergent response (a clean workload).")
    var noDivergence = false

    @Option(parsing: .unconditional, help: "COLO: the secondary guest answers this much later than the primary (0 to the run's duration).")
    var secondaryDelay: DurationArgument?

    @Option(parsing: .unconditional, help: "COLO: how long the primary stays stopped to send its state (default 5ms; 0 to the run's duration).")
    var transfer: DurationArgument?

    @Flag(help: "COLO: chardev reads take a chosen part of the available bytes, so records split anywhere.")
    var splitChunks = false

    @Flag(help: "COLO: end when the workload has finished instead of at --duration.")
    var endWhenDone = false

    @Flag(help: "COLO: do not run the workload without COLO for the latency comparison.")
    var noBaseline = false

    @Option(help: "colo-compare profile: upstream, qemu-6.2 or fixed.") var compareProfile: String = "upstream"
    @Option(help: "filter-rewriter profile: upstream, qemu-7.2 or fixed.") var rewriterProfile: String = "upstream"
    @Option(help: "Redirector behaviour: upstream or qemu-7.2.") var qemu: String = "upstream"

    @Option(parsing: .unconditional, help: "Client connections (1-100000).") var connections: Int?
    @Option(parsing: .unconditional, help: "Requests per connection (1-1000000).") var requests: Int?
    @Option(parsing: .unconditional, help: "Request body bytes (0-268435456).") var requestSize: Int?
    @Option(parsing: .unconditional, help: "Response body bytes (0-268435456).") var responseSize: Int?
    @Option(parsing: .unconditional, help: "Think time between requests, in milliseconds (0-3600000).") var thinkMs: Int64?
    @Option(parsing: .unconditional, help: "One-way link latency, in microseconds (0-60000000).") var latencyUs: Int64?
    @Option(parsing: .unconditional, help: "Extra per-frame delay drawn in 0...jitter, in microseconds (0-60000000).") var jitterUs: Int64?
    @Option(parsing: .unconditional, help: "Frames lost, per million (0-1000000).") var lossPpm: Int64 = 0
    @Option(parsing: .unconditional, help: "Frames duplicated, per million (0-1000000).") var duplicatePpm: Int64 = 0
    @Option(parsing: .unconditional, help: "Frames held back and overtaken, per million (0-1000000).") var reorderPpm: Int64 = 0
    @Option(parsing: .unconditional, help: "Direct: stop after this much virtual time, in seconds (1-86400).") var timeLimitS: Int64 = 600

    func validate() throws {
        try OptionRange.check(connections, "--connections", 1...RunLimits.maximumConnections)
        try OptionRange.check(requests, "--requests", 1...RunLimits.maximumRequests)
        try OptionRange.check(requestSize, "--request-size", 0...RunLimits.maximumBodyBytes)
        try OptionRange.check(responseSize, "--response-size", 0...RunLimits.maximumBodyBytes)
        try OptionRange.check(thinkMs, "--think-ms", 0...3_600_000)
        try OptionRange.check(latencyUs, "--latency-us", 0...60_000_000)
        try OptionRange.check(jitterUs, "--jitter-us", 0...60_000_000)
        for (name, value) in [("--loss-ppm", lossPpm), ("--duplicate-ppm", duplicatePpm), ("--reorder-ppm", reorderPpm)] {
            try OptionRange.check(value, name, 0...1_000_000)
        }
        try OptionRange.check(timeLimitS, "--time-limit-s", 1...86_400)
        try OptionRange.check(duration, "--duration", positive: true)
        try OptionRange.checkCheckpointDelay(checkpointDelay, "--checkpoint-delay")
        let runEnd = duration?.value ?? COLORunConfiguration().duration
        let within = "the run's duration (\(OptionRange.text(runEnd)))"
        for (name, value) in [("--lose-primary-at", losePrimaryAt), ("--lose-secondary-at", loseSecondaryAt),
                              ("--diverge-at", divergeAt), ("--secondary-delay", secondaryDelay), ("--transfer", transfer)] {
            try OptionRange.check(value, name, maximum: runEnd, maximumText: within)
        }
        if backend.isQEMU && topology == .direct { throw ValidationError("--backend qemu runs the COLO topology; --topology direct has no QEMU") }
        if backend.isQEMU && checkDeterminism { throw ValidationError("--check-determinism does not apply to --backend qemu: a real run is never the same twice") }
        try PcapDirectoryOption.check(pcapDir)
        if file != nil, let ignored = optionsAScenarioFileDecides.first {
            throw ValidationError("--\(ignored) does not apply to a scenario file, which sets it itself; edit the file (or copy it) instead")
        }
        if topology == .colo && file == nil {
            let configuration = try coloConfiguration()
            do {
                try configuration.validate()
            } catch {
                throw ValidationError(error.description)
            }
            if let refusal = RunCost(configuration).refusal {
                throw ValidationError("this run is refused: \(refusal)")
            }
        }
        if topology == .direct {
            let options = runOptions().directRunOptions()
            if let refusal = RunCost.byteRefusal(RunCost.extent(of: options.workload, within: options.timeLimit).bytes) {
                throw ValidationError("this run is refused: \(refusal)")
            }
        }
    }

    func run() throws {
        if let file { return try runScenario(file) }
        switch topology {
        case .direct: try runDirect()
        case .colo: try runCOLO()
        }
    }

    /// Options that a scenario file sets for itself: given with a file, they would be ignored,
    /// so they are refused instead.
    var optionsAScenarioFileDecides: [String] {
        let given: [(String, Bool)] = [
            ("topology", topology != .colo), ("duration", duration != nil), ("checkpoint-delay", checkpointDelay != nil),
            ("lose-primary-at", losePrimaryAt != nil), ("lose-secondary-at", loseSecondaryAt != nil),
            ("diverge-at", divergeAt != nil), ("no-divergence", noDivergence), ("secondary-delay", secondaryDelay != nil),
            ("transfer", transfer != nil), ("split-chunks", splitChunks), ("end-when-done", endWhenDone),
            ("no-baseline", noBaseline), ("compare-profile", compareProfile != "upstream"),
            ("rewriter-profile", rewriterProfile != "upstream"), ("qemu", qemu != "upstream"),
            ("connections", connections != nil), ("requests", requests != nil), ("request-size", requestSize != nil),
            ("response-size", responseSize != nil), ("think-ms", thinkMs != nil), ("latency-us", latencyUs != nil),
            ("jitter-us", jitterUs != nil), ("loss-ppm", lossPpm != 0), ("duplicate-ppm", duplicatePpm != 0),
            ("reorder-ppm", reorderPpm != 0), ("time-limit-s", timeLimitS != 600),
        ]
        return given.filter(\.1).map(\.0)
    }

    // MARK: COLO

    /// The options both topologies share, and the COLO ones; profile names are resolved by
    /// ``coloConfiguration()`` only, since a direct run has no compare or rewriter.
    func runOptions() -> RunOptions {
        var options = RunOptions()
        options.seed = seed
        options.connections = connections
        options.requestsPerConnection = requests
        options.requestSize = requestSize
        options.responseSize = responseSize
        options.thinkTime = thinkMs.map { .milliseconds($0) }
        options.latency = latencyUs.map { .microseconds($0) }
        options.jitter = jitterUs.map { .microseconds($0) }
        options.loss = .perMillion(UInt64(clamping: lossPpm))
        options.duplication = .perMillion(UInt64(clamping: duplicatePpm))
        options.reordering = .perMillion(UInt64(clamping: reorderPpm))
        options.duration = duration?.value
        options.checkpointDelay = checkpointDelay?.value
        options.transferDuration = transfer?.value
        options.diverges = !noDivergence
        options.divergeAt = divergeAt?.value
        options.losePrimaryAt = losePrimaryAt?.value
        options.loseSecondaryAt = loseSecondaryAt?.value
        options.secondaryDelay = secondaryDelay?.value
        options.splitsChunks = splitChunks
        options.endsWhenWorkloadCompletes = endWhenDone
        options.measuresBaseline = !noBaseline
        options.timeLimit = .seconds(timeLimitS)
        return options
    }

    func coloConfiguration() throws -> COLORunConfiguration {
        var options = runOptions()
        guard let compare = CompareProfile(named: compareProfile) else {
            throw ValidationError("unknown --compare-profile '\(compareProfile)'; use upstream, qemu-6.2 or fixed")
        }
        guard let rewriter = RewriterProfile.named(rewriterProfile) else {
            throw ValidationError("unknown --rewriter-profile '\(rewriterProfile)'; use upstream, qemu-7.2 or fixed")
        }
        guard let net = QEMUNetVersion(name: qemu) else {
            throw ValidationError("unknown --qemu '\(qemu)'; use upstream or qemu-7.2")
        }
        options.compareProfile = compare
        options.rewriterProfile = rewriter
        options.net = net
        return options.coloConfiguration()
    }

    private func runCOLO() throws {
        let configuration = try coloConfiguration()
        let traceFile = try trace.map(TraceFile.init(path:))
        var outputs = RunOutputs(traceLine: traceFile.map { file in { line in file.write(line) } }, pcapDirectory: pcapDir)
        let progress = RunProgress.onTerminal(duration: configuration.duration)
        outputs.eventTrace = progress
        let report: RunReport
        if backend.isQEMU {
            var run = QEMUBackendRun(configuration, binary: try backend.qemuBinary())
            run.outputs = outputs
            do {
                report = try run.run()
            } catch {
                FileHandle.standardError.write(Data(("lockstep: " + error.description + "\n").utf8))
                throw ExitCode(2)
            }
        } else if checkDeterminism {
            report = try COLORun.checkingDeterminism(configuration, outputs: outputs)
        } else {
            var run = COLORun(configuration)
            run.outputs = outputs
            report = try run.run()
        }
        progress?.finish()
        try traceFile?.close()
        print(format == .json ? report.json : report.text)
        if !report.invariantsHold || report.stopReason.isAbnormal { throw ExitCode(1) }
    }

    // MARK: Scenario file

    private func runScenario(_ path: String) throws {
        var scenario: Scenario
        do {
            scenario = try ScenarioParser.load(path: path)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(2)
        }
        if checkDeterminism { scenario.checksDeterminism = true }
        if let seed { scenario.configuration.seed = seed }
        let traceFile = try trace.map(TraceFile.init(path:))
        var outputs = RunOutputs(traceLine: traceFile.map { file in { line in file.write(line) } }, pcapDirectory: pcapDir)
        let progress = RunProgress.onTerminal(duration: scenario.configuration.duration)
        outputs.eventTrace = progress
        let outcome = backend.isQEMU
            ? QEMUScenarioRunner.run(scenario, binary: try backend.qemuBinary(), outputs: outputs)
            : ScenarioRunner.run(scenario, outputs: outputs)
        progress?.finish()
        try traceFile?.close()
        if outcome.report == nil {
            // The run did not start (its outputs cannot be written): an error, not a result.
            for error in outcome.errors { printError(error) }
            throw ExitCode(2)
        }
        if format == .json {
            print(ScenarioOutcomeJSON.object(outcome, includesReport: true))
        } else {
            print(ScenarioOutcomeText.full(outcome, summary: scenario.summary))
        }
        if !outcome.passed { throw ExitCode(1) }
    }

    // MARK: Direct

    private func runDirect() throws {
        let report = try DirectRun.execute(runOptions().directRunOptions())
        print(format == .json ? report.json : report.text)
        if !report.completed { throw ExitCode(2) }
    }
}
