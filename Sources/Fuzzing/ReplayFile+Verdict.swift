extension ReplayFile {
    /// Whether `trial`, a replay of this file, failed again along the recorded trace.
    public func isReproduced(by trial: FuzzTrial) -> Bool {
        Self.hex(trial.traceHash) == traceHash && trial.failed
    }

    /// `lockstep replay`'s verdict on `trial`: the workload it ran, its trace hash against the
    /// recorded one, the checks it broke, and REPRODUCED or NOT REPRODUCED.
    public func verdictText(_ trial: FuzzTrial) -> String {
        var lines: [String] = []
        if let reduction { lines.append("reduced workload: \(reduction.summary)") }
        lines.append("replay: seed \(seed), \(decisions.count) decision(s), trace hash \(Self.hex(trial.traceHash)) (recorded \(traceHash))")
        lines += trial.violations.map { "VIOLATION \($0)" }
        lines.append(isReproduced(by: trial) ? "REPRODUCED" : "NOT REPRODUCED")
        return lines.joined(separator: "\n")
    }
}
