import Testing
import Fabric
import Deployment
import COLORuntime
import Scenarios
import Fuzzing

/// `always:` — expectations that must hold under every ordering, checked by `lockstep fuzz`.
@Suite("Always-true expectations")
struct AlwaysExpectationTests {
    private func errors(_ text: String) -> [String] {
        scenarioParseErrors(text).map(\.description)
    }

    @Test("expectations under always: are marked always-true and checked like expect: ones")
    func alwaysParses() throws {
        let scenario = try ScenarioParser.parse("""
            duration: 5s
            expect:
              checkpoints: 1
            always:
              workload_complete: true
              invariants: {streams_intact: holds}
            """, file: "ok.yaml")
        #expect(scenario.expectations.map(\.isAlwaysTrue) == [false, true, true])
        #expect(scenario.expectations.last?.line == 6)
    }

    @Test("always: alone is enough (expect: is then optional)")
    func alwaysAlone() throws {
        let scenario = try ScenarioParser.parse("duration: 5s\nalways: {workload_complete: true}\n", file: "ok.yaml")
        #expect(scenario.expectations.count == 1)
        #expect(errors("duration: 5s\n") == ["bad.yaml:1:1: missing required key 'expect' in a scenario (or 'always')"])
    }

    @Test("misuse of always: is an error at file:line:column")
    func alwaysMisuse() {
        #expect(errors("duration: 5s\nexpect: {checkpoints: 0}\nalways:\n  workload_complet: true\n") == [
            "bad.yaml:4:3: unknown key 'workload_complet' in the always-true expectations; did you mean 'workload_complete'?",
        ])
        #expect(errors("duration: 5s\nexpect: {checkpoints: 0}\nalway: {workload_complete: true}\n") == [
            "bad.yaml:3:1: unknown key 'alway' in a scenario; did you mean 'always'?",
        ])
        #expect(errors("duration: 5s\nexpect:\n  invariants: {streams_intact: holds}\nalways:\n  invariants: {streams_intact: holds}\n") == [
            "bad.yaml:5:16: 'invariant streams_intact: holds' is also under expect (line 3); an expectation belongs to expect or always, not both",
        ])
        #expect(errors("duration: 5s\nexpect: {checkpoints: 0}\nalways:\n  releases: [{primary_index: 0, outcome: released}]\n") == [
            "bad.yaml:4:3: releases cannot be under always: record indices and release counts belong to one ordering; keep them under expect",
        ])
        #expect(errors("duration: 5s\nalways: {}\n") == ["bad.yaml:2:9: expected at least one expectation under always"])
    }

    @Test("a fuzz target checks always-true expectations without --expectations, and not the others")
    func fuzzChecksAlways() throws {
        let scenario = try ScenarioParser.parse("""
            duration: 5s
            client:
              workload: {connections: 1, requests: 1}
            expect:
              checkpoints: 3
            always:
              workload_complete: false
            """, file: "t.yaml")
        let target = FuzzTarget(scenario: scenario)
        let (_, violations) = target.run(seed: 1, chooser: CanonicalChooser())
        #expect(violations.count == 1)
        #expect(violations.first?.hasPrefix("expectation: FAIL workload complete: false") == true)
        let all = FuzzTarget(scenario: scenario, checksExpectations: true)
        #expect(all.run(seed: 1, chooser: CanonicalChooser()).1.count == 2)
    }
}
