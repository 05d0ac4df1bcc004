import Foundation
import Scenarios

/// The scenario `lockstep fuzz` explores when given none (SCENARIO `default`): the text of
/// `scenarios/divergent-response.yaml`, built in so the command works from any directory and a
/// replay of it needs no file (a test keeps the two identical). It is small (one connection,
/// six exchanges, one divergent response) and passes through a checkpoint, so a run is cheap
/// and still crosses compare, rewriter and checkpoint code.
public enum DefaultFuzzScenario {
    public static let name = "default"
    public static let libraryFile = "scenarios/divergent-response.yaml"

    public static let text = #"""
# Divergent response: from 200 ms the secondary's application answers one response with
# different bytes. colo-compare finds the payload mismatch (C-11), requests a checkpoint, and the
# secondary is made a copy of the primary again. This is COLO's core promise: divergence costs
# one checkpoint, never a wrong byte at the client.
name: divergent-response
duration: 5s
client:
  workload: {connections: 1, requests: 6, response_size: 2048, think_time: 100ms}
timeline:
  - at: 200ms
    diverge_secondary: 1
expect:
  checkpoints: 1
  checkpoint_reasons: [payload_mismatch]
  no_checkpoint_before: 200ms
always:
  workload_complete: true
  invariants: {output_commit: holds, streams_intact: holds, conservation: holds, secondary_equals_primary: holds}

"""#
}

extension DefaultFuzzScenario {
    /// SCENARIO's text: the built-in copy for `default`, otherwise the file's (an error names the
    /// file and says why it cannot be read).
    public static func text(of scenario: String) throws(ScenarioFileErrors) -> String {
        scenario == name ? text : try ScenarioParser.text(path: scenario)
    }

    /// SCENARIO's `text` parsed; for `default` its errors name the library file it copies.
    public static func parse(_ text: String, of scenario: String) throws(ScenarioFileErrors) -> Scenario {
        try ScenarioParser.parse(text, file: scenario == name ? libraryFile : scenario)
    }
}
