import Foundation
import Testing
@testable import Fabric
@testable import GuestStack
@testable import Deployment
@testable import COLORuntime
import LockstepTestSupport

/// What a run accepts, refuses, writes out, and how it ends when it stops making progress.
@Suite("COLO run configuration, outputs and watchdog")
struct TopologyRunConfigurationTests {
    /// A configuration with one impossible parameter, and the name its error must start with.
    static func invalid(_ index: Int) -> (name: String, configuration: COLORunConfiguration) {
        var c = COLORunConfiguration()
        let name: String
        switch index {
        case 0: name = "x-checkpoint-delay"; c.controller.checkpointDelay = .zero
        case 1: name = "x-checkpoint-delay"; c.controller.checkpointDelay = .milliseconds(-5)
        case 2: name = "duration"; c.duration = .zero
        case 3: name = "transfer duration"; c.controller.transferDuration = .milliseconds(-1)
        case 4: name = "pipe latency (across hosts)"; c.pipes.crossHostLatency = .microseconds(-1)
        case 5: name = "connections"; c.workload.connections = 0
        case 6: name = "timeline[0] (lose_primary)"; c.timeline = [TimelineEvent(at: .seconds(-1), .losePrimary)]
        default: name = "timeline[0] (stall_guest)"; c.timeline = [TimelineEvent(at: .zero, .stallGuest(.secondary, duration: .zero))]
        }
        return (name, c)
    }

    @Test("Impossible parameters (negative delays, zero checkpoint delay …) are refused with one line naming the parameter",
          arguments: 0..<8)
    func invalidParameters(index: Int) {
        let (name, configuration) = Self.invalid(index)
        #expect(throws: COLORunError.self) { try configuration.validate() }
        do {
            _ = try COLORun(configuration).run()
            Issue.record("the run started")
        } catch {
            #expect(error.description.hasPrefix("\(name) = "), "\(error.description)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("Topologies the runtime does not emulate are refused, naming host and object")
    func unsupportedTopologies() {
        var buffer = COLORunConfiguration()
        buffer.topology.secondary.objects.append(.filter(FilterConfiguration(kind: .buffer, id: "fb0", netdev: "hn0", interval: 1_000)))
        #expect(throws: COLORunError.unsupported(host: "secondary", what: "filter-buffer 'fb0'")) { try COLORun(buffer).run() }

        var xen = COLORunConfiguration()
        xen.topology.primary.objects = xen.topology.primary.objects.map { object in
            guard var compare = object.coloCompare else { return object }
            compare.notifyDev = "notify0"
            return .coloCompare(compare)
        }
        #expect(throws: COLORunError.unsupported(host: "primary", what: "colo-compare 'comp0' with notify_dev (Xen COLO)")) { try COLORun(xen).run() }

        var noIOThread = COLORunConfiguration()
        noIOThread.topology.primary.objects = noIOThread.topology.primary.objects.map { object in
            guard var compare = object.coloCompare else { return object }
            compare.iothread = nil
            return .coloCompare(compare)
        }
        #expect(throws: COLORunError.self) { try COLORun(noIOThread).run() }
    }

    @Test("Any Topology the importer produces runs: the reference exported to command lines and imported back")
    func importedTopologyRuns() throws {
        let primary = QEMUArgsExporter.commandLine(for: Topology.reference.primary)
        let secondary = QEMUArgsExporter.commandLine(for: Topology.reference.secondary)
        var configuration = TopologyRuns.requests(connections: 1, exchanges: 3)
        configuration.topology = try QEMUArgsImporter.topology(primary: primary, secondary: secondary)
        let report = try TopologyRuns.run(configuration)
        #expect(report.workload.isComplete && report.invariantsHold)
        var reference = configuration
        reference.topology = .reference
        #expect(try TopologyRuns.run(reference).traceHash == report.traceHash)
    }

    @Test("The patch mail's own command lines (no rewriter, no iothread) are refused at colo-compare's creation (C-1)")
    func seedCommandLines() throws {
        var configuration = TopologyRuns.requests(connections: 1, exchanges: 1)
        let primary = try PatchMailCommandLines.primary()
        let secondary = try PatchMailCommandLines.secondary()
        configuration.topology = Topology(
            primary: try QEMUArgsImporter.importHost(primary, role: .primary).configuration,
            secondary: try QEMUArgsImporter.importHost(secondary, role: .secondary).configuration)
        #expect(throws: COLORunError.creationFailed(host: "primary", object: "comp0", reason: "primary_in, secondary_in, outdev and iothread are required (C-1)")) {
            try COLORun(configuration).run()
        }
    }

    @Test("--trace: every log entry is one JSON object; the hash is the same with or without the trace")
    func traceLines() throws {
        let configuration = TopologyRuns.requests(connections: 1, exchanges: 2)
        final class Lines: @unchecked Sendable { var all: [String] = [] }
        let lines = Lines()
        var run = COLORun(configuration)
        run.outputs.traceLine = { lines.all.append($0) }
        let report = try run.run()
        #expect(lines.all.count == report.logEntries)
        #expect(try TopologyRuns.run(configuration).traceHash == report.traceHash)
        var kinds: Set<String> = []
        for line in lines.all {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["t_ns"] is Int)
            kinds.insert(object["kind"] as? String ?? "?")
        }
        #expect(kinds == ["net", "compare", "rewriter", "colo", "lan"])
        #expect(lines.all.contains("{\"t_ns\":0,\"host\":null,\"source\":\"colo\",\"kind\":\"colo\",\"event\":\"colo_started\",\"checkpoint_delay_ms\":20000}"))
    }

    @Test("--pcap-dir: one readable capture per link, holding what crossed it")
    func captures() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("lockstep-colo-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var run = COLORun(TopologyRuns.requests(connections: 1, exchanges: 2))
        run.outputs.pcapDirectory = directory
        let report = try run.run()
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(files == [
            "client.pcap", "compare-comp0-out.pcap",
            "pipe-primary.compare0-primary.compare0-0.pcap", "pipe-primary.compare_out0-primary.compare_out.pcap",
            "pipe-primary.mirror0-secondary.red0.pcap", "pipe-secondary.red1-primary.compare1.pcap",
            "primary-nic.pcap", "secondary-nic.pcap",
        ])
        let client = try PcapReader.readAll(path: (directory as NSString).appendingPathComponent("client.pcap"))
        #expect(client.count == report.traffic.clientFramesSent + report.traffic.clientFramesReceived)
        let released = try PcapReader.readAll(path: (directory as NSString).appendingPathComponent("compare-comp0-out.pcap"))
        #expect(released.count == report.traffic.compares[0].released)
        let mirrored = try PcapReader.readAll(path: (directory as NSString).appendingPathComponent("pipe-primary.mirror0-secondary.red0.pcap"))
        #expect(mirrored.count == report.traffic.pipes.first { $0.name.hasPrefix("primary.mirror0") }?.records)
    }

    @Test("Watchdog: a workload that can no longer progress ends the run and says since when")
    func noProgress() throws {
        var configuration = TopologyRuns.download(2_000_000)
        configuration.controller.failoverDelay = .seconds(1_000)
        configuration.watchdog.progressTimeout = .seconds(5)
        configuration.duration = .seconds(3_600)
        configuration.timeline = [TimelineEvent(at: .milliseconds(30), .losePrimary)]
        let report = try TopologyRuns.run(configuration)
        guard case .noProgress(let since) = report.stopReason else {
            Issue.record("stopped because \(report.stopReason)")
            return
        }
        #expect(since <= .seconds(1))
        #expect(report.endTime < .seconds(10))
        #expect(report.stopReason.isAbnormal)
        #expect(report.text.contains("watchdog: the workload moved no byte since"))
    }

    @Test("Watchdog: the event budget and the per-instant limit end a run with their reason")
    func eventLimits() throws {
        var budget = TopologyRuns.requests()
        budget.watchdog.maxEvents = 50
        #expect(try TopologyRuns.run(budget).stopReason == .eventBudgetExhausted(50))
        var instant = TopologyRuns.requests()
        instant.watchdog.maxEventsPerInstant = 3
        guard case .stuckAtInstant(let time, let events) = try TopologyRuns.run(instant).stopReason else {
            Issue.record("no stop at an instant")
            return
        }
        #expect(events == 3 && time >= .zero)
    }

    @Test("Report renderings: text names every invariant; JSON is one object with stable keys")
    func renderings() throws {
        let report = try TopologyRuns.run(TopologyRuns.requests(connections: 1, exchanges: 2))
        for name in ["output_commit", "streams_intact", "conservation", "secondary_equals_primary", "determinism"] {
            #expect(report.text.contains(name))
        }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        #expect(object["trace_hash"] as? String == report.traceHashText)
        #expect((object["invariants"] as? [[String: Any]])?.count == 5)
        #expect((object["ledgers"] as? [[String: Any]])?.allSatisfy { $0["balances"] as? Bool == true } == true)
    }
}
