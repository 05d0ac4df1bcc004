/// What became of one walk, as far as it got synchronously.
public enum WalkFate: Sendable, Hashable, CustomStringConvertible {
    case delivered(to: String)
    /// Waiting in the client's incoming queue; a later event says where it ended.
    case queued(at: String)
    case stolen(by: String, sendResult: Int)
    case dropped(DropReason)
    /// Waiting in `filter`'s blocked write (M-4, R-3); the walk goes on when the write ends,
    /// and the log says where it ended.
    case blocked(in: String)

    public var description: String {
        switch self {
        case .delivered(let client): "delivered to \(client)"
        case .queued(let client): "queued at \(client)"
        case .stolen(let filter, let result): "taken by \(filter) (send result \(result))"
        case .dropped(let reason): "dropped: \(reason)"
        case .blocked(let filter): "waiting in \(filter)'s blocked write"
        }
    }
}

/// The result of a send or an injection: the walk's id, what QEMU would return to the sender,
/// and where the frame went.
public struct SendOutcome: Sendable, Hashable {
    public var walk: WalkID
    /// QEMU's return value: the size when delivered or dropped-as-sent, 0 when queued, the
    /// stealing filter's result when stolen.
    public var returnValue: Int
    public var fate: WalkFate

    public init(walk: WalkID, returnValue: Int, fate: WalkFate) {
        self.walk = walk
        self.returnValue = returnValue
        self.fate = fate
    }
}
