import COLORuntime
import Fuzzing
import Teaching

/// What `lockstep replay` keeps of the replayed run's log, fed one entry at a time: the index
/// `ViolationPoint.locate` needs and the last `--max-lines` entries. Memory stays bounded by
/// those, however long the replayed failure runs.
final class ReplayLogWatch {
    private(set) var index = ViolationLogIndex()
    private(set) var tail: RunLogTail

    init(maxLines: Int) {
        tail = RunLogTail(capacity: maxLines)
    }

    func add(_ entry: RunLogEntry) {
        index.add(entry)
        tail.add(entry)
    }
}

/// The explained trace of a replay from bounded memory. The first run gives the violation points
/// and the log's last entries; when the trace stops earlier than the end, or `--full` asks for
/// every entry, the replay runs again (it is deterministic) and only what is shown is kept:
/// the entries before the stop, or each entry printed as it comes.
enum ReplayExplanation {
    static func print(watch: ReplayLogWatch, violations: [ViolationPoint], options: ExplainedTrace.Options,
                      again: (@escaping (RunLogEntry) -> Void) -> Void) {
        let total = watch.index.entryCount
        if options.full {
            var stream = ExplainedTrace.Stream(violations: violations, total: total)
            write(stream.header)
            again { entry in write(stream.lines(after: entry)) }
            return
        }
        let stop = ExplainedTrace.stopPosition(violations, total: total, options: options)
        var tail = watch.tail
        if stop < total {
            var window = RunLogTail(capacity: options.maxLines, end: stop)
            again { entry in window.add(entry) }
            tail = window
        }
        Swift.print(ExplainedTrace.render(kept: tail.entries, from: tail.firstPosition, total: total,
                                          violations: violations, options: options), terminator: "")
    }

    private static func write(_ lines: [String]) {
        for line in lines { Swift.print(line) }
    }
}
