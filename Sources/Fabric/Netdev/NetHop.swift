/// One observable step of the net core: where a frame went, hop by hop, and the state changes
/// that decide later hops. These are plain values so that "packet walk" views, tests and the
/// demo can all read the same record.
public enum NetHop: Sendable, Hashable {
    /// A client started sending a frame (F-3).
    case sendStarted(WalkID, sender: String, frame: Frame)
    /// A filter re-injected a frame into the chain (F-7, R-5). `direction` is nil when the walk
    /// was dropped before a direction could be chosen.
    case injectionStarted(WalkID, filter: String, nominalSender: String?, direction: NetDirection?, frame: Frame)
    /// F-5: the filter did not see the frame.
    case filterSkipped(WalkID, filter: String, direction: NetDirection, reason: FilterSkipReason)
    /// The filter returned 0 and did nothing visible.
    case filterPassed(WalkID, filter: String, direction: NetDirection)
    /// The filter returned 0 after writing a copy somewhere (mirror, dump).
    case filterCopied(WalkID, filter: String, direction: NetDirection, output: FilterOutput)
    /// F-6: the filter returned non-zero; the walk ends here.
    case filterStole(WalkID, filter: String, direction: NetDirection, sendResult: Int, output: FilterOutput)
    /// M-4, R-3: the filter's write to `destination` waits for room in the socket; the walk and
    /// the process's main loop wait with it.
    case writeBlocked(WalkID, filter: String, direction: NetDirection, destination: String)
    /// The blocked write ended; the filter's verdict and the rest of the walk follow.
    case walkResumed(WalkID, filter: String)
    /// The frame waits in `client`'s incoming queue, now `depth` frames long.
    case queued(WalkID, client: String, depth: Int, reason: QueueReason)
    /// The frame reached the endpoint behind `client`.
    case delivered(WalkID, client: String, fromQueue: Bool)
    case dropped(WalkID, reason: DropReason, client: String?)
    /// A queued frame sent with a completion callback was finally delivered or flushed; the
    /// sender may send again.
    case sendCompleted(WalkID, sender: String)
    case vmStateChanged(running: Bool)
    /// F-8.
    case filterStatusChanged(filter: String, status: FilterStatus)
    /// R-2/R-7/R-8/W-11: the redirector's indev read handlers were installed or removed.
    case indevReading(filter: String, attached: Bool, cause: IndevReadingCause)
    /// A decoded indev frame arrived while the redirector was not reading; it was discarded.
    /// (A correctly wired pipe never does this: it leaves the bytes unread.)
    case indevFrameRefused(filter: String, bytes: Int)

    /// The walk this event belongs to, if any.
    public var walk: WalkID? {
        switch self {
        case .sendStarted(let walk, _, _), .injectionStarted(let walk, _, _, _, _),
            .filterSkipped(let walk, _, _, _), .filterPassed(let walk, _, _),
            .filterCopied(let walk, _, _, _), .filterStole(let walk, _, _, _, _),
            .queued(let walk, _, _, _), .delivered(let walk, _, _), .dropped(let walk, _, _),
            .sendCompleted(let walk, _), .writeBlocked(let walk, _, _, _), .walkResumed(let walk, _):
            walk
        case .vmStateChanged, .filterStatusChanged, .indevReading, .indevFrameRefused:
            nil
        }
    }

    /// True for the events that end a walk's journey: delivered, stolen or dropped.
    public var isTerminal: Bool {
        switch self {
        case .delivered, .filterStole, .dropped: true
        default: false
        }
    }
}

/// Why a redirector's indev reading changed.
public enum IndevReadingCause: String, Sendable, Hashable, CustomStringConvertible {
    case setup
    case statusOn
    case statusOff
    case chardevOpened
    case chardevClosed
    case framingError
    case cleanup

    public var description: String {
        switch self {
        case .setup: "filter created"
        case .statusOn: "status on"
        case .statusOff: "status off"
        case .chardevOpened: "chardev opened"
        case .chardevClosed: "chardev closed"
        case .framingError: "framing error"
        case .cleanup: "filter deleted"
        }
    }
}
