import Logging
import Primary

/// Routes a compare's actions, in order: decisions to the counters and the decision log, records
/// to the output buffers, local checkpoint requests to nobody (a standalone compare has no COLO
/// framework listening, exactly like QEMU's).
///
/// It works on the host's state passed `inout` rather than through the `CompareHost` object:
/// every access to a class's stored property is checked for exclusivity at run time, and the
/// input path routes the actions of every record, so it takes that access once per chunk.
struct ActionRouter {
    let compare: String
    let decisionLog: DecisionLog?
    let logger: Logger
    /// The decision log's time for these actions (not read without a log).
    let timeUs: Int64

    /// Routes `actions` and empties the buffer, keeping its capacity.
    func route(_ actions: inout [CompareAction], counters: inout ServeCounters,
               outdev: inout OutputChannel, notify: inout OutputChannel?) {
        for action in actions {
            switch action {
            case .event(let event):
                counters.count(event)
                decisionLog?.record(event, compare: compare, timeUs: timeUs)
                if case .drop(let drop) = event, case .writeFailed = drop.reason {
                    logger.debug("colo-compare '\(compare)': primary #\(drop.index) lost: its outdev write failed (C-25)")
                }
            case .write(let write):
                switch write.channel {
                case .outdev: outdev.append(write)
                case .notifyDev: notify?.append(write)
                }
            case .requestCheckpoint:
                counters.unheardCheckpointRequests &+= 1
            }
        }
        actions.removeAll(keepingCapacity: true)
    }
}
