import Testing
import Fabric
import Deployment
import COLORuntime
import Scenarios

/// Malformed scenario files: each error names file:line:column and what was expected.
@Suite("Scenario file errors")
struct ScenarioFileErrorTests {
    private func errors(_ text: String) -> [ScenarioFileError] { scenarioParseErrors(text) }

    @Test("a YAML syntax error gives the scanner's position")
    func syntaxError() {
        let found = errors("duration: 5s\nexpect:\n  checkpoints: [0\n")
        #expect(found.count == 1)
        #expect(found.first?.file == "bad.yaml")
        #expect(found.first?.line == 4)
        #expect(found.first?.message.hasPrefix("YAML syntax error:") == true)
    }

    @Test("an unknown key is an error with the closest known key")
    func unknownKey() {
        let found = errors("duration: 5s\nexpect:\n  checkpoint: 0\n")
        #expect(found.map(\.description) == [
            "bad.yaml:3:3: unknown key 'checkpoint' in the expectations; did you mean 'checkpoints'?",
        ])
    }

    @Test("an unknown top-level key far from any known one lists the known keys")
    func unknownKeyWithoutSuggestion() {
        let found = errors("duration: 5s\nexpect: {checkpoints: 0}\nzzzzzz: 1\n")
        #expect(found.count == 1)
        #expect(found.first?.line == 3 && found.first?.column == 1)
        #expect(found.first?.message.hasPrefix("unknown key 'zzzzzz' in a scenario; expected one of: name,") == true)
    }

    @Test("a wrong type names what was expected")
    func wrongType() {
        let found = errors("duration: 5s\nclient:\n  workload: {connections: many}\nexpect: {checkpoints: 0}\n")
        #expect(found.map(\.description) == ["bad.yaml:3:27: expected connections (an integer), got 'many'"])
    }

    @Test("a mapping where a list belongs is a wrong type")
    func mappingForList() {
        let found = errors("duration: 5s\ntimeline: {at: 1s}\nexpect: {checkpoints: 0}\n")
        #expect(found.map(\.description) == ["bad.yaml:2:11: expected the timeline (a list), got a mapping"])
    }

    @Test("a duration without a unit is refused")
    func bareDuration() {
        let found = errors("duration: 5000\nexpect: {checkpoints: 0}\n")
        #expect(found.map(\.description) == [
            "bad.yaml:1:11: expected the duration as a duration with a unit (ns, us, ms, s), e.g. 250ms or 3s; got '5000' (a bare number has no unit)",
        ])
    }

    @Test("a duration with an unknown unit is refused")
    func badUnit() {
        let found = errors("duration: 5min\nexpect: {checkpoints: 0}\n")
        #expect(found.first?.line == 1 && found.first?.column == 11)
        #expect(found.first?.message.contains("got '5min'") == true)
    }

    @Test("durations take ns, us, ms and s, with or without a space")
    func durationsParse() throws {
        let scenario = try ScenarioParser.parse(
            "duration: 20000 ms\ncontroller: {checkpoint_delay: 1.5s, transfer: 250us}\nexpect: {checkpoints: 0}\n", file: "ok.yaml")
        #expect(scenario.configuration.duration == .milliseconds(20_000))
        #expect(scenario.configuration.controller.checkpointDelay == .milliseconds(1_500))
        #expect(scenario.configuration.controller.transferDuration == .microseconds(250))
    }

    @Test("a missing required key is reported at the mapping")
    func missingRequired() {
        let found = errors("seed: 1\nexpect: {checkpoints: 0}\n")
        #expect(found.map(\.description) == ["bad.yaml:1:1: missing required key 'duration' in a scenario"])
        let timeline = errors("duration: 1s\ntimeline:\n  - crash: primary\nexpect: {checkpoints: 0}\n")
        #expect(timeline.map(\.description) == ["bad.yaml:3:5: missing required key 'at' in a timeline event"])
    }

    @Test("a bad choice suggests the near one")
    func badChoice() {
        let found = errors("duration: 1s\ntimeline:\n  - {at: 1s, crash: primry}\nexpect: {checkpoints: 0}\n")
        #expect(found.map(\.description) == [
            "bad.yaml:3:21: expected the host that crashes: one of primary, secondary; got 'primry'; did you mean 'primary'?",
        ])
    }

    @Test("every error of a file is reported, in order")
    func severalErrors() {
        let found = errors("duration: 1\nseed: x\nexpect: {checkpoints: 0, failover: maybe}\n")
        #expect(found.map(\.line) == [1, 2, 3])
    }

    @Test("an empty file is an error at 1:1")
    func emptyFile() {
        let found = errors("")
        #expect(found.first?.line == 1 && found.first?.column == 1)
        #expect(found.first?.message.contains("the file is empty") == true)
    }

    @Test("duplicate keys are errors")
    func duplicateKey() {
        let found = errors("duration: 1s\nduration: 2s\nexpect: {checkpoints: 0}\n")
        #expect(found.map(\.description) == ["bad.yaml:2:1: duplicate key 'duration' in a scenario"])
    }

    @Test("a pcap replay without file and client_mac is refused, not ignored")
    func pcapRefused() {
        let found = errors("duration: 1s\nclient: {pcap: x.pcap}\nexpect: {checkpoints: 0}\n")
        #expect(found.count == 1)
    }

    @Test("force_checkpoint re-sets the delay in force, as an operator would (K-2)")
    func forceCheckpoint() throws {
        let scenario = try ScenarioParser.parse("""
            duration: 5s
            controller: {checkpoint_delay: 2s}
            timeline:
              - {at: 3s, force_checkpoint: true}
              - {at: 1s, set_checkpoint_delay: 500ms}
            expect: {checkpoints: 0}
            """, file: "ok.yaml")
        #expect(scenario.configuration.timeline == [
            TimelineEvent(at: .seconds(1), .setCheckpointDelay(.milliseconds(500))),
            TimelineEvent(at: .seconds(3), .setCheckpointDelay(.milliseconds(500))),
        ])
    }
}
