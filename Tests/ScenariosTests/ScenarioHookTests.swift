import Testing
import Fabric
import Deployment
import COLORuntime
import Scenarios

/// The scenario language's hooks into the run: chardev faults, injected frames, UDP queries and
/// the guests' outbound workload.
@Suite("Scenario hooks")
struct ScenarioHookTests {
    private func parse(_ text: String) throws -> Scenario {
        try ScenarioParser.parse(text, file: "hook.yaml")
    }

    private func errors(_ text: String) -> [String] {
        scenarioParseErrors(text, file: "hook.yaml").map(\.description)
    }

    @Test("chardev_fault and inject_frames become timeline actions")
    func timelineActions() throws {
        let scenario = try parse("""
            duration: 1s
            timeline:
              - {at: 10ms, chardev_fault: {chardev: red1, kind: corrupt_length}}
              - {at: 20ms, inject_frames: {guest: both, kind: ipv6, count: 2}}
              - {at: 30ms, chardev_disconnect: {chardev: red0, for: 1s}}
            expect: {checkpoints: 0}
            """)
        #expect(scenario.configuration.timeline.map(\.action) == [
            .chardevFault(chardev: "red1", .corruptLength),
            .injectFrames(guests: [.primary, .secondary], .ipv6, count: 2),
            .disconnectChardev(chardev: "red0", duration: .seconds(1)),
        ])
    }

    @Test("an unknown fault kind is an error listing the kinds")
    func unknownFaultKind() {
        let found = errors("duration: 1s\ntimeline:\n  - {at: 0, chardev_fault: {chardev: red1, kind: flip}}\nexpect: {checkpoints: 0}\n")
        #expect(found.count == 1)
        #expect(found.first?.contains("corrupt_length") == true)
    }

    @Test("a fault on a chardev the topology does not have is refused before the run, where the file names it")
    func unknownChardev() throws {
        let found = errors("duration: 1s\ntimeline:\n  - {at: 0, chardev_fault: {chardev: nope, kind: drop}}\nexpect: {checkpoints: 0}\n")
        #expect(found.count == 1)
        #expect(found.first?.contains("expected a chardev socket of the topology") == true && found.first?.contains("got 'nope'") == true)
    }

    @Test("W-10: a corrupted length on secondary_in ends reading it; primary packets then time out (C-19)")
    func corruptSecondaryIn() throws {
        let scenario = try parse("""
            duration: 20s
            topology: {compare: {compare_timeout: 200ms, expired_scan_cycle: 100ms}}
            client: {workload: {connections: 1, requests: 8, response_size: 16384, think_time: 20ms}}
            timeline: [{at: 100ms, chardev_fault: {chardev: compare1, kind: corrupt_length}}]
            expect: {workload_complete: true}
            """)
        let report = try #require(ScenarioRunner.run(scenario).report)
        #expect(report.traffic.compares.map(\.framingErrors) == [1])
        #expect(report.checkpoints.count >= 2)
        #expect(report.workload.isComplete)
        #expect(report.invariantsHold)
    }

    @Test("C-3/C-4: injected ARP and IPv6 frames pass the compare uncompared, without a checkpoint")
    func unparsedFrames() throws {
        let scenario = try parse("""
            duration: 2s
            client: {workload: {connections: 1, requests: 1}}
            timeline: [{at: 50ms, inject_frames: {guest: both, kind: arp, count: 2}}]
            expect: {checkpoints: 0}
            """)
        let baseline = try parse("duration: 2s\nclient: {workload: {connections: 1, requests: 1}}\nexpect: {checkpoints: 0}\n")
        let report = try #require(ScenarioRunner.run(scenario).report)
        let plain = try #require(ScenarioRunner.run(baseline).report)
        #expect(report.checkpoints.isEmpty)
        #expect(report.traffic.compares.map(\.releasedUnparsed) == plain.traffic.compares.map { $0.releasedUnparsed + 2 })
        #expect(report.traffic.compares.map(\.droppedUnparsed) == plain.traffic.compares.map { $0.droppedUnparsed + 2 })
    }

    @Test("C-14 (quirk): two UDP answers queued before the secondary's cost a checkpoint; FIFO does not")
    func udpNewestFirst() throws {
        let text = """
            duration: 3s
            guests: {secondary: {processing_delay: 50ms}}
            client: {workload: {connections: 1, requests: 1}, udp_queries: {count: 2, interval: 10ms}}
            expect: {checkpoints: 0}
            """
        let quirk = try #require(ScenarioRunner.run(try parse(text)).report)
        let fixed = try #require(ScenarioRunner.run(try parse("profiles: {compare: fixed}\n" + text)).report)
        #expect(quirk.checkpoints.map(\.trigger.token).contains("no_match"))
        #expect(fixed.checkpoints.isEmpty)
        #expect(quirk.workload.datagramQueriesAnswered == 2)
        #expect(fixed.workload.datagramQueriesAnswered == 2)
    }

    @Test("RW-14: guest-initiated connections with different ISNs diverge until a checkpoint; equal ISNs do not")
    func guestInitiated() throws {
        let text = """
            duration: 5s
            end_when_done: false
            topology: {compare: {compare_timeout: 500ms, expired_scan_cycle: 100ms}}
            guests: {outbound: {requests: 2}, stack: {isn: ISN}}
            client: {workload: {connections: 1, requests: 1}}
            expect: {checkpoints: 0}
            """
        let chosen = try #require(ScenarioRunner.run(try parse(text.replacingOccurrences(of: "ISN", with: "chosen"))).report)
        let equal = try #require(ScenarioRunner.run(try parse(text.replacingOccurrences(of: "ISN", with: "1000"))).report)
        #expect(!chosen.checkpoints.isEmpty)
        #expect(equal.checkpoints.isEmpty)
        #expect(chosen.workload.guestRequestsCompleted == 2)
        #expect(equal.workload.guestRequestsCompleted == 2)
    }
}
