import Testing
import Fabric
import Primary
import Deployment
import COLORuntime
import Scenarios

/// `expect: releases:` — specific releases, from the compare's decision events.
@Suite("Release expectations")
struct ScenarioReleaseExpectationTests {
    private func outcome(_ text: String) throws -> ScenarioOutcome {
        ScenarioRunner.run(try ScenarioParser.parse(text, file: "releases.yaml"))
    }

    private let oneConnection = """
        duration: 2s
        client: {workload: {connections: 1, requests: 2, response_size: 1024}}

        """

    @Test("C-8: releases on a connection count the compare's release events of that connection")
    func releasesOnConnection() throws {
        let plain = try #require(try outcome(oneConnection + "expect: {checkpoints: {min: 0}}\n").report)
        // Unparseable records (the guest's ARP) are released with no connection.
        let released = plain.traffic.compares.reduce(0) { $0 + $1.released - $1.releasedUnparsed }
        let result = try outcome(oneConnection + """
            expect:
              releases:
                - {connection: "10.0.0.1:49152", count: \(released)}
                - {connection: "10.0.0.9:1", count: 0}
                - {connection: "10.0.0.1:49152", count: {max: 0}}
            """)
        #expect(result.results.map(\.passed) == [true, true, false])
        #expect(result.results.last?.actual == "\(released) release(s)")
    }

    @Test("C-6: a primary record the full queue refused is reported dropped, one compared is released")
    func primaryRecordOutcome() throws {
        let text = """
            duration: 20s
            topology: {compare: {max_queue_size: 4}}
            client: {workload: {connections: 1, requests: 1, response_size: 200000}}
            timeline: [{at: 1ms, stall: {guest: secondary, for: 5s}}]

            """
        var outputs = RunOutputs()
        outputs.keepsFullLog = true
        let report = try #require(ScenarioRunner.run(try ScenarioParser.parse(text + "expect: {checkpoints: {min: 0}}\n", file: "q.yaml"), outputs: outputs).report)
        let events = (report.fullLog ?? []).compactMap { entry -> CompareDecision? in
            if case .compare(let event) = entry.event { event } else { nil }
        }
        let dropped = try #require(events.lazy.compactMap { event -> Int? in
            if case .drop(let drop) = event, drop.side == .primary { drop.index } else { nil }
        }.first)
        let released = try #require(events.lazy.compactMap { event -> Int? in
            if case .release(let release) = event { release.primaryIndex } else { nil }
        }.first)
        let result = try outcome(text + """
            expect:
              releases:
                - {primary_index: \(dropped), outcome: dropped}
                - {primary_index: \(released), outcome: released}
                - {primary_index: \(dropped), outcome: released}
                - {primary_index: 999999, outcome: released}
            """)
        #expect(result.results.map(\.passed) == [true, true, false, false])
        #expect(result.results.last?.actual.contains("neither") == true)
    }

    @Test("a release expectation mixing both forms, or missing count, is an error at its line")
    func malformed() {
        for item in ["{connection: x}", "{connection: x, count: 1, outcome: released}", "{primary_index: 1}", "{primary_index: 1, outcome: lost}"] {
            #expect(throws: ScenarioFileErrors.self) {
                try ScenarioParser.parse(oneConnection + "expect:\n  releases:\n    - \(item)\n", file: "r.yaml")
            }
        }
    }
}
