import Foundation
import Yams
import Fabric
import Primary
import Secondary
import Deployment
import COLORuntime

/// Reads a scenario file (YAML) into a `Scenario`. Every problem is reported with the file,
/// line and column of the node concerned and what was expected; unknown keys are errors.
public enum ScenarioParser {
    static let topLevelKeys = [
        "name", "description", "seed", "duration", "end_when_done", "settle", "baseline", "check_determinism",
        "topology", "guests", "client", "pipes", "controller", "profiles", "watchdog", "timeline", "expect",
        "always", "real_qemu",
    ]

    /// Reads the file at `path` (at most `InputFile.defaultLimit` bytes).
    public static func load(path: String) throws(ScenarioFileErrors) -> Scenario {
        try parse(try text(path: path), file: path)
    }

    /// The text of the file at `path`, or an error at its line 1 saying why it cannot be read.
    public static func text(path: String) throws(ScenarioFileErrors) -> String {
        do {
            return try InputFile.text(path)
        } catch {
            let shown = path.isEmpty ? "''" : path
            throw ScenarioFileErrors([ScenarioFileError(file: shown, line: 1, column: 1, message: "cannot read the scenario file: \(error.reason)")])
        }
    }

    /// Reads scenario text; `file` names it in errors and gives the default name.
    public static func parse(_ text: String, file: String) throws(ScenarioFileErrors) -> Scenario {
        let reader = NodeReader(file: file)
        if let deep = YAMLNestingLimit.firstViolation(in: text) {
            throw ScenarioFileErrors([ScenarioFileError(
                file: file, line: deep.line, column: deep.column,
                message: "YAML nested more than \(YAMLNestingLimit.maximumDepth) levels deep; a scenario needs a handful")])
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ScenarioFileErrors([syntaxError(error, file: file)])
        } catch {
            throw ScenarioFileErrors([ScenarioFileError(file: file, line: 1, column: 1, message: "YAML: \(error)")])
        }
        guard let root else {
            throw ScenarioFileErrors([ScenarioFileError(file: file, line: 1, column: 1, message: "expected a scenario (a mapping with duration, expect, ...); the file is empty")])
        }
        if let node = YAMLExpansionLimit.firstNodePastLimit(root) {
            throw ScenarioFileErrors([ScenarioFileError(
                file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1,
                message: "the document expands to more than \(YAMLExpansionLimit.maximumNodes) nodes through anchors and aliases; write the values out")])
        }
        if let (node, tag) = YAMLTagCheck.firstUnsupportedTag(root) {
            throw ScenarioFileErrors([ScenarioFileError(
                file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1,
                message: "unsupported YAML tag '\(tag)': a scenario's values are plain strings, numbers, lists and mappings")])
        }
        var builder = ScenarioBuilder(reader: reader, file: file)
        let scenario = builder.build(root)
        guard reader.errors.isEmpty, let scenario else {
            // File order, whatever order the sections were read in.
            let ordered = reader.errors.enumerated().sorted { ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset) }
            throw ScenarioFileErrors(ordered.map(\.element))
        }
        do {
            try scenario.configuration.validate()
        } catch {
            throw ScenarioFileErrors([ScenarioFileError(file: file, line: 1, column: 1, message: error.description)])
        }
        if let refusal = RunCost(scenario.configuration).refusal {
            throw ScenarioFileErrors([ScenarioFileError(file: file, line: 1, column: 1, message: "this scenario is refused: \(refusal)")])
        }
        return scenario
    }

    private static func syntaxError(_ error: YamlError, file: String) -> ScenarioFileError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let while_ = context.map { " (\($0.text) at \($0.mark.line):\($0.mark.column))" } ?? ""
            return ScenarioFileError(file: file, line: mark.line, column: mark.column, message: "YAML syntax error: \(problem)\(while_)")
        case let .reader(problem, offset, _, _):
            return ScenarioFileError(file: file, line: 1, column: 1, message: "YAML reader error: \(problem)\(offset.map { " at byte \($0)" } ?? "")")
        default:
            return ScenarioFileError(file: file, line: 1, column: 1, message: "YAML error: \(error)")
        }
    }
}

/// The state of reading one file.
struct ScenarioBuilder {
    let reader: NodeReader
    let file: String
    var configuration = COLORunConfiguration()

    init(reader: NodeReader, file: String) {
        self.reader = reader
        self.file = file
        // A scenario's defaults: no divergence, no baseline run (scenarios check behaviour,
        // not the latency COLO adds), and a run that ends when the workload is done.
        configuration.measuresBaseline = false
        configuration.endsWhenWorkloadCompletes = true
    }

    mutating func build(_ root: Node) -> Scenario? {
        guard let fields = reader.fields(root, "a scenario", known: ScenarioParser.topLevelKeys, required: ["duration"]) else {
            return nil
        }
        if fields["expect"] == nil && fields["always"] == nil {
            reader.error(at: root, "missing required key 'expect' in a scenario (or 'always')")
        }
        var name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        var summary: String?
        var checksDeterminism = false
        if let node = fields["name"], let value = reader.string(node, "the scenario's name") { name = value }
        if let node = fields["description"], let value = reader.string(node, "a description") { summary = value }
        if let node = fields["seed"], let value = reader.int(node, "the seed", min: 0) { configuration.seed = UInt64(value) }
        if let node = fields["duration"], let value = reader.duration(node, "the duration", allowsZero: false) { configuration.duration = value }
        if let node = fields["end_when_done"], let value = reader.bool(node, "end_when_done") { configuration.endsWhenWorkloadCompletes = value }
        if let node = fields["settle"], let value = reader.duration(node, "the settle time") { configuration.settleTime = value }
        if let node = fields["baseline"], let value = reader.bool(node, "baseline") { configuration.measuresBaseline = value }
        if let node = fields["check_determinism"], let value = reader.bool(node, "check_determinism") { checksDeterminism = value }
        if let node = fields["topology"] { readTopology(node) }
        if let node = fields["profiles"] { readProfiles(node) }
        if let node = fields["guests"] { readGuests(node) }
        if let node = fields["client"] { readClient(node) }
        if let node = fields["pipes"] { readPipes(node) }
        if let node = fields["controller"] { readController(node) }
        if let node = fields["watchdog"] { readWatchdog(node) }
        if let node = fields["timeline"] { readTimeline(node) }
        var expectations: [Expectation] = []
        if let node = fields["expect"] { expectations = readExpectations(node) }
        if let node = fields["always"] { expectations += readAlwaysExpectations(node, besides: expectations) }
        var scenario = Scenario(name: name, file: file, summary: summary, configuration: configuration,
                                checksDeterminism: checksDeterminism, expectations: expectations)
        scenario.realQEMU = fields["real_qemu"].flatMap(readRealQEMUNote)
        return scenario
    }

    // MARK: Topology

    private mutating func readTopology(_ node: Node) {
        if case .scalar = node {
            _ = reader.choice(node, "the topology", ["reference"])
            return
        }
        guard let fields = reader.fields(node, "the topology", known: ["qemu", "compare"]) else { return }
        if let qemu = fields["qemu"], let lines = reader.fields(qemu, "the QEMU command lines", known: ["primary", "secondary"], required: ["primary", "secondary"]),
           let primaryNode = lines["primary"], let secondaryNode = lines["secondary"],
           let primary = reader.string(primaryNode, "the primary's QEMU command line"),
           let secondary = reader.string(secondaryNode, "the secondary's QEMU command line") {
            do {
                configuration.topology = try QEMUArgsImporter.topology(primary: primary, secondary: secondary)
            } catch {
                let blamed: Node = switch error {
                case .shellSyntax(.secondary, _), .rejected(.secondary?, _): secondaryNode
                default: primaryNode
                }
                reader.error(at: blamed, "expected command lines QEMU accepts: \(error)")
            }
        }
        if let compare = fields["compare"] { readCompareOverrides(compare) }
    }

    /// Properties set on every colo-compare of the topology, as `-object colo-compare,...` would.
    private mutating func readCompareOverrides(_ node: Node) {
        guard let fields = reader.fields(node, "colo-compare properties",
                                         known: ["compare_timeout", "expired_scan_cycle", "max_queue_size", "vnet_hdr_support"]) else { return }
        func milliseconds(_ key: String) -> UInt32? {
            guard let node = fields[key], let value = reader.duration(node, key, allowsZero: false) else { return nil }
            guard value.nanoseconds % 1_000_000 == 0, value.nanoseconds / 1_000_000 <= Int64(UInt32.max) else {
                reader.error(at: node, "expected \(key) in whole milliseconds (QEMU's unit), got \(NodeReader.shown(node))")
                return nil
            }
            return UInt32(value.nanoseconds / 1_000_000)
        }
        let timeout = milliseconds("compare_timeout")
        let scan = milliseconds("expired_scan_cycle")
        let queue = fields["max_queue_size"].flatMap { reader.int($0, "max_queue_size", min: 1, max: Int(UInt32.max)) }
        let vnet = fields["vnet_hdr_support"].flatMap { reader.bool($0, "vnet_hdr_support") }
        for role in HostRole.allCases {
            var host = configuration.topology[role]
            for index in host.objects.indices {
                guard case .coloCompare(var compare) = host.objects[index] else { continue }
                if let timeout { compare.compareTimeout = timeout }
                if let scan { compare.expiredScanCycle = scan }
                if let queue { compare.maxQueueSize = UInt32(queue) }
                if let vnet { compare.vnetHeaderSupport = vnet }
                host.objects[index] = .coloCompare(compare)
            }
            if role == .primary { configuration.topology.primary = host } else { configuration.topology.secondary = host }
        }
    }

    private mutating func readProfiles(_ node: Node) {
        guard let fields = reader.fields(node, "the profiles", known: ["compare", "rewriter", "qemu", "framing", "net_queue", "deletion_flush", "writers"]) else { return }
        if let node = fields["compare"], let name = reader.choice(node, "the compare profile", CompareProfile.all.map(\.name)),
           let profile = CompareProfile(named: name) {
            configuration.profiles.compare = profile
        }
        if let node = fields["rewriter"], let name = reader.choice(node, "the rewriter profile", RewriterProfile.all.map(\.name)),
           let profile = RewriterProfile.named(name) {
            configuration.profiles.rewriter = profile
        }
        if let node = fields["qemu"], let name = reader.choice(node, "the QEMU version", ["upstream", "qemu-7.2"]),
           let version = QEMUNetVersion(name: name) {
            configuration.profiles.net = version
        }
        if let node = fields["framing"], let name = reader.choice(node, "the framing profile", ["qemu", "corrected"]) {
            configuration.profiles.framing = name == "qemu" ? .qemu : .corrected
        }
        if let node = fields["net_queue"], let name = reader.choice(node, "the net queue ordering", ["qemu", "fifo"]) {
            configuration.profiles.netQueue = name == "qemu" ? .qemu : .fifo
        }
        if let node = fields["deletion_flush"],
           let name = reader.choice(node, "what deleting a compare does with its queued packets", CompareDeletionFlush.allCases.map(\.rawValue)),
           let flush = CompareDeletionFlush(rawValue: name) {
            configuration.profiles.compareDeletion = flush
        }
        if let node = fields["writers"],
           let name = reader.choice(node, "what a chardev writer does when the socket is full", WriterBlocking.allCases.map(\.rawValue)),
           let blocking = WriterBlocking(rawValue: name) {
            configuration.profiles.writers = blocking
        }
    }

    // MARK: Infrastructure

    private mutating func readPipes(_ node: Node) {
        guard let fields = reader.fields(node, "the chardev pipes",
                                         known: ["intra_host_latency", "cross_host_latency", "jitter", "split_chunks", "capacity"]) else { return }
        if let node = fields["intra_host_latency"], let value = reader.duration(node, "intra_host_latency") { configuration.pipes.intraHostLatency = value }
        if let node = fields["cross_host_latency"], let value = reader.duration(node, "cross_host_latency") { configuration.pipes.crossHostLatency = value }
        if let node = fields["jitter"], let value = reader.duration(node, "the pipe jitter") { configuration.pipes.jitter = value }
        if let node = fields["split_chunks"], let value = reader.bool(node, "split_chunks") { configuration.pipes.splitsChunks = value }
        if let node = fields["capacity"], let value = reader.int(node, "the pipe capacity in bytes", min: 1, max: 1 << 30) { configuration.pipes.capacity = value }
    }

    private mutating func readController(_ node: Node) {
        let known = ["checkpoint_delay", "channel_latency", "transfer", "transfer_ns_per_byte", "transfer_jitter", "load", "failover_delay",
                     "operator_step_delay", "teardown", "primary_failover"]
        guard let fields = reader.fields(node, "the COLO controller", known: known) else { return }
        var controller = configuration.controller
        if let node = fields["checkpoint_delay"], let value = reader.checkpointDelay(node, "checkpoint_delay (x-checkpoint-delay)") {
            controller.checkpointDelay = value
        }
        if let node = fields["channel_latency"], let value = reader.duration(node, "channel_latency") { controller.channelLatency = value }
        if let node = fields["transfer"], let value = reader.duration(node, "the transfer time") { controller.transferDuration = value }
        if let node = fields["transfer_ns_per_byte"], let value = reader.int(node, "transfer_ns_per_byte", min: 0, max: 1_000_000_000) {
            controller.transferNanosecondsPerByte = Int64(value)
        }
        if let node = fields["transfer_jitter"], let value = reader.duration(node, "transfer_jitter") { controller.transferJitter = value }
        if let node = fields["load"], let value = reader.duration(node, "the load time") { controller.loadDuration = value }
        if let node = fields["failover_delay"], let value = reader.duration(node, "failover_delay") { controller.failoverDelay = value }
        if let node = fields["operator_step_delay"], let value = reader.duration(node, "operator_step_delay") { controller.operatorStepDelay = value }
        if let node = fields["teardown"], let value = reader.bool(node, "teardown") { controller.runsDocumentedTeardown = value }
        if let node = fields["primary_failover"],
           let name = reader.choice(node, "the primary failover order", PrimaryFailoverOrder.allCases.map(\.rawValue)),
           let order = PrimaryFailoverOrder(rawValue: name) {
            controller.primaryFailoverOrder = order
        }
        configuration.controller = controller
    }

    private mutating func readWatchdog(_ node: Node) {
        guard let fields = reader.fields(node, "the watchdog", known: ["progress_timeout", "max_events"]) else { return }
        if let node = fields["progress_timeout"] {
            if case .scalar(let scalar) = node, scalar.string == "never" {
                configuration.watchdog.progressTimeout = nil
            } else if let value = reader.duration(node, "progress_timeout (or never)", allowsZero: false) {
                configuration.watchdog.progressTimeout = value
            }
        }
        if let node = fields["max_events"], let value = reader.int(node, "max_events", min: 1, max: 1_000_000_000) { configuration.watchdog.maxEvents = value }
    }
}
