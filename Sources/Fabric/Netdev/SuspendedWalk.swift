/// A walk waiting in a filter's blocked write (M-4, R-3): what it still has to do once the write
/// ends — the rest of the filter run it was in, the runs after it, and the incoming queue.
final class SuspendedWalk {
    /// One filter run still to do.
    enum Stage {
        case filters([FilterContext], NetDirection)
        /// The receiver's own list, walked rx tail → head, read when the walk gets there (F-3).
        case receiverFilters
    }

    let walk: WalkID
    let frame: Frame
    let sender: NetClient
    /// Where the frame ends if no filter takes it: the sender's peer (nil: dropped, F-7).
    let receiver: NetClient?
    let hasCompletion: Bool
    var stages: [Stage]

    init(walk: WalkID, frame: Frame, sender: NetClient, receiver: NetClient?, hasCompletion: Bool, stages: [Stage]) {
        self.walk = walk
        self.frame = frame
        self.sender = sender
        self.receiver = receiver
        self.hasCompletion = hasCompletion
        self.stages = stages
    }
}
