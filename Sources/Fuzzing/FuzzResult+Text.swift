import Foundation

extension FuzzResult {
    /// `lockstep fuzz`'s report: what ran, the first failures, the shrunk one and how to
    /// replay it. `elapsed` (wall seconds, 0 to leave the rate out) is the one figure that
    /// varies between identical campaigns.
    public func text(replayOut: String, pcapDirectory: String? = nil, elapsed: Double) -> String {
        let pctText = pct.map { " (depth \($0.depth), \($0.steps) ordering steps per run)" } ?? ""
        var lines = ["lockstep fuzz \(scenario): \(indicesRun) run(s), strategy \(strategy.rawValue)\(pctText), base seed \(baseSeed), shard \(shards.joined(separator: ","))"]
        if elapsed > 0 {
            lines.append(String(format: "  %.1f s, %.0f runs/s", elapsed, Double(indicesRun) / elapsed))
        }
        if let timeLimit {
            lines.append(String(format: "  time limit %g s reached after %d run(s); --runs %d (same seed and shard) reproduces this result", timeLimit, indicesRun, runs))
        }
        lines.append("  failures: \(failures.count)")
        for failure in failures.prefix(10) {
            lines.append("    run \(failure.index) seed \(failure.seed): \(failure.violations.first ?? "")")
        }
        if let shrunk {
            let original = failures.first?.decisions.count ?? 0
            lines.append("  shrunk run \(shrunk.index): \(original) -> \(shrunk.decisions.count) decision(s), trace \(ReplayFile.hex(shrunk.traceHash))")
            if let reduction = shrunk.reduction {
                let frames = [failures.first?.clientFramesSent, shrunk.clientFramesSent].map { $0.map(String.init) ?? "?" }
                lines.append("  shrunk workload: \(reduction.summary); client frames \(frames[0]) -> \(frames[1])")
            }
            lines.append("  replay: lockstep replay \(replayOut)")
            if let pcapDirectory { lines.append("  pcaps of the shrunk run: \(pcapDirectory)/") }
        }
        return lines.joined(separator: "\n")
    }
}

extension ExhaustiveEnumerator.Outcome {
    /// `lockstep fuzz --strategy exhaustive`'s report: how much of the schedule space ran and
    /// the first failing schedules.
    public func text(scenario: String, failures: [FuzzTrial]) -> String {
        var lines = ["lockstep fuzz \(scenario): exhaustive, \(schedules) schedule(s) run, "
            + (covered ? "all schedules covered" : stoppedEarly ? "time limit reached, not all schedules covered"
               : "bound reached, not all schedules covered")]
        lines.append("  failures: \(failures.count)")
        for failure in failures.prefix(10) {
            lines.append("    schedule \(failure.index): \(failure.violations.first ?? "")")
        }
        return lines.joined(separator: "\n")
    }
}
