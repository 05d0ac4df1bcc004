import Fabric
import Deployment
import COLORuntime

/// `lockstep report --html`: one self-contained page (inline CSS and SVG, no script, no external
/// resource) with the figure, a ladder around the first checkpoint, every checkpoint explained,
/// the compare queues' depths over time and the invariants' verdicts.
public enum HTMLReport {
    public static func page(_ run: TeachRun, title: String) -> String {
        let report = run.report
        var body: [String] = []
        body.append("<h1>\(HTMLText.escape(title))</h1>")
        body.append("<p>Seed \(report.seed), \(FrameWalkText.time(report.endTime)) of virtual time, \(report.logEntries) log entries, trace hash \(report.traceHashText).</p>")

        body.append("<h2>Invariants</h2>")
        body.append("<table><tr><th>invariant</th><th>verdict</th><th>detail</th></tr>")
        for verdict in report.invariants {
            body.append("<tr class=\"\(verdict.status.rawValue)\"><td>\(HTMLText.escape(verdict.name))</td><td>\(verdict.status.rawValue)</td><td>\(HTMLText.escape(verdict.detail))</td></tr>")
        }
        body.append("</table>")

        body.append("<h2>Topology</h2>")
        body.append("<pre class=\"figure\">\(HTMLText.escape(FigureRenderer.render(run.topology)))</pre>")

        body.append("<h2>Checkpoints</h2>")
        if report.checkpoints.isEmpty {
            body.append("<p>No checkpoint in this run.</p>")
        } else {
            body.append("<ol>")
            for checkpoint in report.checkpoints {
                body.append("<li>" + HTMLText.escape(explain(checkpoint)) + "</li>")
            }
            body.append("</ol>")
        }

        body.append("<h2>Ladder</h2>")
        let window = ladderWindow(run)
        let ladder = Ladder(entries: run.entries, topology: run.topology, from: window.from, to: window.to, maximumRows: 120)
        body.append("<p>From \(FrameWalkText.time(window.from)) to \(FrameWalkText.time(window.to)); amber squares: the compare holds a primary frame; green arrows: releases; shaded bands: checkpoints."
            + (ladder.omitted > 0 ? " \(ladder.omitted) later rows are left out." : "") + "</p>")
        body.append(LadderRenderer.svg(ladder))

        body.append("<h2>Compare queue depths</h2>")
        body.append(QueueDepths(entries: run.entries, topology: run.topology).svg(end: report.endTime))

        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(HTMLText.escape(title))</title>
            <style>
            body { font-family: sans-serif; margin: 2em; color: #1f2328; }
            pre.figure { font-size: 11px; line-height: 1.15; background: #f6f8fa; padding: 1em; overflow-x: auto; }
            table { border-collapse: collapse; } td, th { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; }
            tr.holds td:nth-child(2) { color: #1a7f37; } tr.violated td:nth-child(2) { color: #cf222e; font-weight: bold; }
            tr.not_checked td:nth-child(2) { color: #6e7781; }
            </style></head><body>
            \(body.joined(separator: "\n"))
            </body></html>

            """
    }

    static func explain(_ checkpoint: CheckpointRecord) -> String {
        var text = "Checkpoint \(checkpoint.number), requested at \(FrameWalkText.time(checkpoint.requestedAt)): \(checkpoint.trigger.explanation)."
        if checkpoint.absorbedRequests > 0 { text += " \(checkpoint.absorbedRequests) further requests were absorbed (K-3)." }
        if let pause = checkpoint.pause {
            text += " The primary was stopped for \(pause.nanoseconds / 1_000) us while \(checkpoint.stateBytes) bytes of state were sent."
        }
        text += " The flush released \(checkpoint.released) primary frames and dropped \(checkpoint.secondaryDropped) secondary ones."
        switch checkpoint.outcome {
        case .completed: text += " Completed."
        case .inProgress: text += " Still in progress when the run ended."
        case .aborted(let reason): text += " Aborted: \(reason)."
        }
        return text
    }

    /// 5 ms either side of the first checkpoint, or the first 20 ms.
    static func ladderWindow(_ run: TeachRun) -> (from: VirtualTime, to: VirtualTime) {
        guard let first = run.report.checkpoints.first else {
            return (.zero, VirtualTime.zero + VirtualDuration.milliseconds(20))
        }
        let start = first.startedAt.nanoseconds > 5_000_000 ? VirtualTime.zero + VirtualDuration.nanoseconds(first.startedAt.nanoseconds - 5_000_000) : VirtualTime.zero
        return (start, (first.primaryRestartedAt ?? first.startedAt) + VirtualDuration.milliseconds(5))
    }
}
