import Yams

extension ScenarioBuilder {
    /// `real_qemu: {differs_in: TRACK or [TRACK, ...], cause: timing|qemu_finding|profile|emulator,
    /// note: TEXT, rule: C-n, function: NAME}`.
    func readRealQEMUNote(_ node: Node) -> RealQEMUNote? {
        guard let fields = reader.fields(node, "the real_qemu note", known: ["differs_in", "cause", "note", "rule", "function"],
                                         required: ["cause", "note"]),
              let causeNode = fields["cause"],
              let causeName = reader.choice(causeNode, "the cause", RealQEMUNote.Cause.allCases.map(\.rawValue)),
              let cause = RealQEMUNote.Cause(rawValue: causeName),
              let noteNode = fields["note"], let note = reader.string(noteNode, "the note") else { return nil }
        let tracks = ["checkpoints", "failovers", "releases", "client", "invariants"]
        var differsIn: [String] = []
        if let node = fields["differs_in"] {
            let items: [Node] = if case .sequence(let sequence) = node { Array(sequence) } else { [node] }
            differsIn = items.compactMap { reader.choice($0, "a track", tracks) }
        }
        let rule = fields["rule"].flatMap { reader.string($0, "the spec rule") }
        let function = fields["function"].flatMap { reader.string($0, "QEMU's function") }
        if cause == .qemuFinding && (rule == nil || function == nil) {
            reader.error(at: node, "a qemu_finding names the spec rule (rule:) and QEMU's function (function:)")
        }
        return RealQEMUNote(differsIn: differsIn, cause: cause, note: note, rule: rule, function: function)
    }
}
