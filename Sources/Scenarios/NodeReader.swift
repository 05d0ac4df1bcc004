import Foundation
import Yams
import Fabric
import GuestStack
import Deployment
import COLORuntime

/// Walks a composed YAML document and turns its nodes into values, recording an error with the
/// node's line and column for anything unexpected. Accessors return nil after recording, so a
/// caller simply skips what was wrong and reading continues.
final class NodeReader {
    let file: String
    private(set) var errors: [ScenarioFileError] = []

    init(file: String) {
        self.file = file
    }

    func error(at node: Node?, _ message: String) {
        let mark = node?.mark
        errors.append(ScenarioFileError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
    }

    func error(line: Int, column: Int, _ message: String) {
        errors.append(ScenarioFileError(file: file, line: line, column: column, message: message))
    }

    /// How a node is shown in a message: its text for a scalar, its kind otherwise.
    static func shown(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): scalar.string.isEmpty ? "nothing" : "'\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }

    // MARK: Containers

    /// The node as a mapping whose keys are all in `known` (an unknown key is an error naming
    /// the closest known one) and include every key of `required`.
    func fields(_ node: Node, _ what: String, known: [String], required: [String] = []) -> Fields? {
        guard case .mapping(let mapping) = node else {
            error(at: node, "expected \(what) (a mapping), got \(Self.shown(node))")
            return nil
        }
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else {
                error(at: keyNode, "expected a key name in \(what), got \(Self.shown(keyNode))")
                continue
            }
            if entries.contains(where: { $0.key == key.string }) {
                error(at: keyNode, "duplicate key '\(key.string)' in \(what)")
                continue
            }
            guard known.contains(key.string) else {
                var message = "unknown key '\(key.string)' in \(what)"
                if let suggestion = ClosestName.suggestion(for: key.string, among: known) {
                    message += "; did you mean '\(suggestion)'?"
                } else {
                    message += "; expected one of: \(known.joined(separator: ", "))"
                }
                error(at: keyNode, message)
                continue
            }
            entries.append((key.string, keyNode, value))
        }
        for key in required where !entries.contains(where: { $0.key == key }) {
            error(at: node, "missing required key '\(key)' in \(what)")
        }
        return Fields(entries: entries)
    }

    func list(_ node: Node, _ what: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            error(at: node, "expected \(what) (a list), got \(Self.shown(node))")
            return nil
        }
        return Array(sequence)
    }

    // MARK: Scalars

    func string(_ node: Node, _ what: String) -> String? {
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            error(at: node, "expected \(what) (a string), got \(Self.shown(node))")
            return nil
        }
        return scalar.string
    }

    func int(_ node: Node, _ what: String, min: Int? = nil, max: Int? = nil) -> Int? {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string.replacingOccurrences(of: "_", with: "")) else {
            error(at: node, "expected \(what) (an integer), got \(Self.shown(node))")
            return nil
        }
        if let min, value < min {
            error(at: node, "expected \(what) of at least \(min), got \(value)")
            return nil
        }
        if let max, value > max {
            error(at: node, "expected \(what) of at most \(max), got \(value)")
            return nil
        }
        return value
    }

    func bool(_ node: Node, _ what: String) -> Bool? {
        guard case .scalar(let scalar) = node, ["true", "false"].contains(scalar.string) else {
            error(at: node, "expected \(what) (true or false), got \(Self.shown(node))")
            return nil
        }
        return scalar.string == "true"
    }

    /// One of `options`; a near miss gets a suggestion.
    func choice(_ node: Node, _ what: String, _ options: [String]) -> String? {
        guard case .scalar(let scalar) = node, options.contains(scalar.string) else {
            var message = "expected \(what): one of \(options.joined(separator: ", ")); got \(Self.shown(node))"
            if case .scalar(let scalar) = node, let suggestion = ClosestName.suggestion(for: scalar.string, among: options) {
                message += "; did you mean '\(suggestion)'?"
            }
            error(at: node, message)
            return nil
        }
        return scalar.string
    }

    /// A duration with a unit: `250ms`, `3s`, `1.5s`, `20000 ms`, `100us`, `10ns`; `0` alone too.
    func duration(_ node: Node, _ what: String, allowsZero: Bool = true) -> VirtualDuration? {
        let expectation = "expected \(what) as a duration with a unit (ns, us, ms, s), e.g. 250ms or 3s"
        guard case .scalar(let scalar) = node else {
            error(at: node, "\(expectation); got \(Self.shown(node))")
            return nil
        }
        guard let value = VirtualDuration(parsing: scalar.string, notation: .scenarioFile) else {
            let text = scalar.string
            let hint = Double(text) != nil && text != "0" ? " (a bare number has no unit)" : ""
            error(at: node, "\(expectation); got \(Self.shown(node))\(hint)")
            return nil
        }
        if value.nanoseconds < 0 || (!allowsZero && value.nanoseconds == 0) {
            error(at: node, "expected \(what) to be \(allowsZero ? "zero or more" : "positive"), got \(Self.shown(node))")
            return nil
        }
        if value > RunLimits.longestDuration {
            error(at: node, "expected \(what) of at most 100 days, got \(Self.shown(node))")
            return nil
        }
        return value
    }

    /// x-checkpoint-delay: whole milliseconds from 1 ms to QEMU's uint32 maximum, so that the
    /// timer can never re-arm faster than a checkpoint runs.
    func checkpointDelay(_ node: Node, _ what: String) -> VirtualDuration? {
        guard let value = duration(node, what, allowsZero: false) else { return nil }
        guard value.nanoseconds % 1_000_000 == 0, value <= RunLimits.longestCheckpointDelay else {
            error(at: node, "expected \(what) in whole milliseconds (QEMU's unit), from 1ms to \(UInt32.max)ms, got \(Self.shown(node))")
            return nil
        }
        return value
    }

    /// A probability: `1/100`, `2%`, `250ppm`, `0`, `1`.
    func rate(_ node: Node, _ what: String) -> Rate? {
        guard case .scalar(let scalar) = node, let rate = RateText.parse(scalar.string) else {
            error(at: node, "expected \(what) as a probability: N/M (e.g. 1/100), N% or Nppm; got \(Self.shown(node))")
            return nil
        }
        return rate
    }

    /// An exact integer or `{min: A, max: B}` (either bound may be left out).
    func range(_ node: Node, _ what: String) -> CountRange? {
        if case .scalar = node {
            guard let value = int(node, what, min: 0) else { return nil }
            return CountRange(min: value, max: value)
        }
        guard let fields = fields(node, "\(what) range", known: ["min", "max"]) else { return nil }
        let low = fields["min"].flatMap { int($0, "\(what) minimum", min: 0) }
        let high = fields["max"].flatMap { int($0, "\(what) maximum", min: 0) }
        if low == nil && high == nil {
            error(at: node, "expected \(what) as an integer or {min: N, max: M}; give at least one bound")
            return nil
        }
        if let low, let high, low > high {
            error(at: node, "expected \(what) minimum \(low) to be at most the maximum \(high)")
            return nil
        }
        return CountRange(min: low, max: high)
    }
}

/// A mapping whose keys were checked; values in file order.
struct Fields {
    var entries: [(key: String, keyNode: Node, value: Node)]

    subscript(key: String) -> Node? {
        entries.first { $0.key == key }?.value
    }

    var keys: [String] { entries.map(\.key) }
}
