import Yams
import Fabric
import COLORuntime

/// `expect:` — what the run must show.
extension ScenarioBuilder {
    static let expectationKeys = [
        "checkpoints", "checkpoint_reasons", "checkpoint_reasons_include", "no_checkpoint_before",
        "client_received_bytes", "workload_complete", "invariants", "failover", "stop_reason", "counters", "releases",
    ]
    static let reasonTokens = ["periodic", "delay_changed", "payload_mismatch", "ack_gate", "no_match", "timeout", "compare"]
    static let invariantNames = ["output_commit", "streams_intact", "conservation", "secondary_equals_primary", "determinism"]
    static let stopReasons = ["duration_reached", "workload_completed", "idle", "event_budget_exhausted", "stuck_at_instant",
                              "no_progress", "scheduler_failure"]

    /// `always:` — expectations with the syntax of `expect:` that must hold under every ordering
    /// (`lockstep fuzz` checks them on every run; `lockstep run` checks them like `expect:`).
    /// `releases` names record indices of one ordering and is refused here; an expectation may
    /// not be in both lists.
    func readAlwaysExpectations(_ node: Node, besides expected: [Expectation]) -> [Expectation] {
        if case .mapping(let mapping) = node {
            for key in mapping.keys where key.string == "releases" {
                reader.error(at: key, "releases cannot be under always: record indices and release counts belong to one ordering; keep them under expect")
            }
        }
        let always = readExpectations(node, listName: "always").filter { expectation in
            switch expectation.kind {
            case .releasesOnConnection, .primaryRecord: false
            default: true
            }
        }
        for expectation in always {
            guard let twin = expected.first(where: { Self.sameSubject($0.kind, expectation.kind) }) else { continue }
            reader.error(line: expectation.line, column: expectation.column,
                         "'\(expectation.description)' is also under expect (line \(twin.line)); an expectation belongs to expect or always, not both")
        }
        return always.map { expectation in
            var expectation = expectation
            expectation.isAlwaysTrue = true
            return expectation
        }
    }

    /// Whether two expectations constrain the same thing (same key, same invariant or counter).
    static func sameSubject(_ first: Expectation.Kind, _ second: Expectation.Kind) -> Bool {
        switch (first, second) {
        case let (.invariant(a, _), .invariant(b, _)): a == b
        case let (.counter(a, _), .counter(b, _)): a == b
        case (.failover, .failover), (.failover, .noFailover), (.noFailover, .failover), (.noFailover, .noFailover): true
        case (.checkpoints, .checkpoints), (.checkpointReasons, .checkpointReasons),
             (.checkpointReasonsInclude, .checkpointReasonsInclude), (.noCheckpointBefore, .noCheckpointBefore),
             (.clientReceivedBytes, .clientReceivedBytes), (.workloadComplete, .workloadComplete),
             (.stopReason, .stopReason): true
        default: false
        }
    }

    func readExpectations(_ node: Node, listName: String = "expect") -> [Expectation] {
        guard let fields = reader.fields(node, listName == "expect" ? "the expectations" : "the always-true expectations", known: Self.expectationKeys) else { return [] }
        if case .mapping(let mapping) = node, mapping.count == 0 { reader.error(at: node, "expected at least one expectation under \(listName)") }
        var expectations: [Expectation] = []
        for (key, keyNode, value) in fields.entries {
            func add(_ kind: Expectation.Kind?, at mark: Node = keyNode) {
                guard let kind else { return }
                expectations.append(Expectation(kind, line: mark.mark?.line ?? 0, column: mark.mark?.column ?? 0))
            }
            switch key {
            case "checkpoints": add(reader.range(value, "checkpoints").map(Expectation.Kind.checkpoints))
            case "checkpoint_reasons": add(reasons(value).map(Expectation.Kind.checkpointReasons))
            case "checkpoint_reasons_include": add(reasons(value).map(Expectation.Kind.checkpointReasonsInclude))
            case "no_checkpoint_before": add(reader.duration(value, "no_checkpoint_before").map(Expectation.Kind.noCheckpointBefore))
            case "client_received_bytes": add(reader.range(value, "client_received_bytes").map(Expectation.Kind.clientReceivedBytes))
            case "workload_complete": add(reader.bool(value, "workload_complete").map(Expectation.Kind.workloadComplete))
            case "failover":
                switch reader.choice(value, "the failover", ["primary", "secondary", "none"]) {
                case "primary": add(.failover(.primary))
                case "secondary": add(.failover(.secondary))
                case "none": add(.noFailover)
                default: break
                }
            case "stop_reason": add(reader.choice(value, "the stop reason", Self.stopReasons).map(Expectation.Kind.stopReason))
            case "invariants":
                guard let verdicts = reader.fields(value, "invariant verdicts", known: Self.invariantNames) else { continue }
                for (name, nameNode, verdict) in verdicts.entries {
                    guard let status = reader.choice(verdict, "the verdict of \(name)", ["holds", "violated", "not_checked"]),
                          let parsed = InvariantVerdict.Status(rawValue: status) else { continue }
                    add(.invariant(name: name, status: parsed), at: nameNode)
                }
            case "counters":
                guard let counters = reader.fields(value, "counters", known: ReportCounters.names) else { continue }
                for (name, nameNode, range) in counters.entries {
                    add(reader.range(range, name).map { Expectation.Kind.counter(name: name, $0) }, at: nameNode)
                }
            case "releases":
                guard let items = reader.list(value, "release expectations") else { continue }
                for item in items { add(release(item), at: item) }
            default: break
            }
        }
        return expectations
    }

    /// `{connection: TEXT, count: RANGE}` or `{primary_index: I, outcome: released|dropped}`.
    private func release(_ node: Node) -> Expectation.Kind? {
        guard let fields = reader.fields(node, "a release expectation", known: ["connection", "count", "primary_index", "outcome"]) else { return nil }
        if let connection = fields["connection"] {
            guard fields["primary_index"] == nil, fields["outcome"] == nil else {
                reader.error(at: node, "expected either {connection, count} or {primary_index, outcome}, not both")
                return nil
            }
            guard let countNode = fields["count"] else {
                reader.error(at: node, "expected count (a range) with connection")
                return nil
            }
            guard let text = reader.string(connection, "the connection text"), let range = reader.range(countNode, "count") else { return nil }
            return .releasesOnConnection(text, range)
        }
        guard let indexNode = fields["primary_index"], let outcomeNode = fields["outcome"], fields["count"] == nil else {
            reader.error(at: node, "expected {connection: TEXT, count: RANGE} or {primary_index: I, outcome: released|dropped}")
            return nil
        }
        guard let index = reader.int(indexNode, "the primary record index", min: 0),
              let outcome = reader.choice(outcomeNode, "the record's outcome", ["released", "dropped"]) else { return nil }
        return .primaryRecord(index: index, released: outcome == "released")
    }

    private func reasons(_ node: Node) -> [String]? {
        guard let items = reader.list(node, "checkpoint reasons") else { return nil }
        let tokens = items.map { reader.choice($0, "a checkpoint reason", Self.reasonTokens) }
        return tokens.contains(nil) ? nil : tokens.compactMap { $0 }
    }
}
