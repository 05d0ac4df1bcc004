import Foundation
import Testing
import Fabric
import COLORuntime
@testable import Scenarios

/// Issue #19, scenario files: deep nesting, alias bombs, tags, numbers outside their documented
/// ranges, timeline events the run never reaches and absurd workloads are errors at a position,
/// never a crash, a hang or a silent acceptance.
@Suite("Scenario files: hostile input")
struct ScenarioHostileInputTests {
    static let base = """
        duration: 1s
        client:
          workload: {connections: 1, requests: 1}
        expect: {checkpoints: 0}

        """

    private func errors(_ text: String) -> [ScenarioFileError] { scenarioParseErrors(text) }

    @Test("10,000 nested collections, flow or block, under any key: an error at the line and column where the nesting passes 100",
          arguments: ["flow-list", "flow-map", "block-list", "block-map"])
    func deepNesting(_ kind: String) {
        let depth = 10_000
        let nested: String = switch kind {
        case "flow-list": String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        case "flow-map": String(repeating: "{a: ", count: depth) + "1" + String(repeating: "}", count: depth)
        case "block-list": "\n" + (0..<depth).map { String(repeating: " ", count: $0) + "-" }.joined(separator: "\n")
        default: "\n" + (0..<depth).map { String(repeating: " ", count: $0) + "a:" }.joined(separator: "\n")
        }
        for key in ["client", "expect", "name"] {
            let found = errors(Self.base.replacingOccurrences(of: "\(key):", with: "\(key)_old:") + "\(key): \(nested)\n")
            #expect(found.count == 1, "\(kind) under \(key): \(found)")
            #expect(found.first?.message.hasPrefix("YAML nested more than 100 levels deep") == true, "\(found)")
            #expect((found.first?.line ?? 0) >= 5, "\(found)")
        }
    }

    @Test("Nesting a real scenario uses (six or so levels, block scalars, quoted brackets) passes")
    func ordinaryNestingPasses() {
        let text = Self.base + """
            description: "brackets [in {quotes}] are text"
            timeline:
              - at: 100ms
                set_knobs: {guest: secondary, token_rate: 1/2}
            topology:
              compare: {max_queue_size: 2048}

            """
        #expect(YAMLNestingLimit.firstViolation(in: text) == nil)
        #expect(errors(text).isEmpty, "\(errors(text))")
    }

    @Test("An alias bomb is refused once it expands past a million nodes, whatever it is under")
    func aliasBomb() {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1..<9 { lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]") }
        for (placement, text) in [("root", lines.joined(separator: "\n") + "\n" + Self.base),
                                  ("timeline", lines.map { "x_" + $0 }.joined(separator: "\n").replacingOccurrences(of: "*a", with: "*a")
                                    + "\n" + Self.base + "timeline: *a8\n")] {
            let found = errors(text)
            #expect(found.count == 1, "\(placement): \(found)")
            #expect(found.first?.message.contains("expands to more than 1000000 nodes") == true, "\(placement): \(found)")
        }
    }

    @Test("Tags a scenario cannot mean are refused where they are written", arguments: ["!!binary 1s", "!custom 1s", "!!set {}"])
    func unsupportedTags(_ value: String) {
        let found = errors(Self.base.replacingOccurrences(of: "duration: 1s", with: "duration: \(value)"))
        #expect(found.count == 1 && found.first?.line == 1, "\(found)")
        #expect(found.first?.message.hasPrefix("unsupported YAML tag") == true, "\(found)")
    }

    /// (YAML to add or replace, text of the error)
    static let outOfRange: [(String, String)] = [
        ("controller: {checkpoint_delay: 1ns}", "in whole milliseconds (QEMU's unit)"),
        ("controller: {checkpoint_delay: 10ns}", "in whole milliseconds (QEMU's unit)"),
        ("controller: {checkpoint_delay: 5000000000s}", "of at most 100 days"),
        ("timeline: [{at: 10ms, set_checkpoint_delay: 1ns}]", "in whole milliseconds (QEMU's unit)"),
        ("timeline: [{at: 2s, crash: primary}]", "within the run (duration 1s)"),
        ("timeline: [{at: 0..5s, force_checkpoint: true}]", "within the run (duration 1s)"),
        ("timeline: [{at: 10ms, chardev_fault: {chardev: nope, kind: drop}}]", "expected a chardev socket of the topology"),
        ("timeline: [{at: 10ms, set_compare_property: {property: compare_timeout, value: 99999999999}}]", "expected a value compare_timeout accepts"),
        ("timeline: [{at: 10ms, set_vnet_hdr_support: {object: nope, value: on}}]", "expected a filter-mirror, filter-redirector or colo-compare"),
        ("pipes: {jitter: 9223372036854775807ns}", "as a duration with a unit"),
        ("pipes: {cross_host_latency: 9223372036ms}", "of at most 100 days"),
        ("settle: 1000000000s", "of at most 100 days"),
        ("guests: {stack: {receive_buffer: 9223372036854775807}}", "of at most 1073741824"),
        ("guests: {stack: {initial_window: 4294967296}}", "of at most 65535"),
        ("watchdog: {max_events: 4294967296000}", "of at most 1000000000"),
    ]

    @Test("Numbers outside their documented range are errors naming the field", arguments: outOfRange)
    func documentedRanges(_ addition: String, _ message: String) {
        let key = String(addition.prefix { $0 != ":" })
        let text = Self.base.split(separator: "\n").filter { !$0.hasPrefix(key + ":") }.joined(separator: "\n") + "\n" + addition + "\n"
        let found = errors(text)
        #expect(found.count == 1, "\(addition): \(found)")
        #expect(found.first?.message.contains(message) == true, "\(addition): \(found)")
    }

    @Test("Workloads: counts that cannot be allocated and absurd bytes are refused with their price",
          arguments: [
              ("{connections: 4294967296, requests: 1}", "connections of at most 100000"),
              ("{connections: 1, requests: 1, response_size: 1000000000000}", "of at most 268435456"),
              ("{connections: 100, requests: 100, response_size: 268435456}", "this scenario is refused: its workload asks to move"),
          ])
    func absurdWorkloads(_ workload: String, _ message: String) {
        let found = errors(Self.base.replacingOccurrences(of: "{connections: 1, requests: 1}", with: workload))
        #expect(found.count == 1 && found.first?.message.contains(message) == true, "\(found)")
    }

    @Test("A long run of tiny checkpoint cycles is refused with its estimated events")
    func absurdEvents() {
        let found = errors(Self.base.replacingOccurrences(of: "duration: 1s", with: "duration: 8640000s\nend_when_done: false")
                           + "controller: {checkpoint_delay: 1ms}\n")
        #expect(found.first?.message.contains("it would need about") == true, "\(found)")
        #expect(found.first?.message.contains("most of it the checkpoints (every 1ms)") == true, "\(found)")
    }

    @Test("Property: any text built from YAML's structural characters parses or fails with positioned errors, never traps")
    func structuralGarbage() {
        var random = SplitMix64(seed: 19)
        let alphabet = Array("[]{}-:, \n\t'\"&*!|>#?a1".unicodeScalars)
        for _ in 0..<400 {
            let length = Int(random.next() % 300)
            var text = ""
            for _ in 0..<length { text.unicodeScalars.append(alphabet[Int(random.next() % UInt64(alphabet.count))]) }
            for error in errors(text) {
                #expect(error.line >= 1 && error.column >= 1, "\(text.debugDescription): \(error)")
            }
        }
    }

    @Test("Files that are not scenario text: a directory, /dev/zero, a missing file: one positioned line each")
    func unreadableFiles() throws {
        for (path, reason) in [("/tmp", "it is a directory"), ("/dev/zero", "larger than 16 MiB"),
                               ("/nonexistent/s.yaml", "No such file or directory"), ("", "the path is empty")] {
            do {
                _ = try ScenarioParser.load(path: path)
                Issue.record("\(path) loaded")
            } catch {
                #expect(error.errors.count == 1)
                #expect(error.description.contains("cannot read the scenario file: ") && error.description.contains(reason), "\(error)")
            }
        }
    }
}
