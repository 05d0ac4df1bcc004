extension NetCore {
    /// A client sends a frame (F-3, F-4): the sender's own filters see it with direction tx,
    /// head → tail; then the peer's filters with direction rx, tail → head; then it goes to the
    /// peer's incoming queue.
    ///
    /// `withCompletion` says whether the sender passes a completion callback (taps and NICs
    /// do): such a frame is never dropped for a full queue, and when it was queued a
    /// `sendCompleted` event tells the sender it may go on.
    @discardableResult
    public func send(_ frame: Frame, from sender: NetClient, withCompletion: Bool = true) -> SendOutcome {
        let walk = startWalk()
        emit(.sendStarted(walk, sender: sender.name, frame: frame))
        let size = frame.count
        if size > NetLimits.maxFrameSize {
            drop(walk, .oversize, at: sender)
            return SendOutcome(walk: walk, returnValue: size, fate: .dropped(.oversize))
        }
        if sender.isLinkDown {
            drop(walk, .senderLinkDown, at: sender)
            return SendOutcome(walk: walk, returnValue: size, fate: .dropped(.senderLinkDown))
        }
        guard let receiver = sender.peer else {
            drop(walk, .senderHasNoPeer, at: sender)
            return SendOutcome(walk: walk, returnValue: size, fate: .dropped(.senderHasNoPeer))
        }
        switch runFilters(sender.filters, direction: .tx, sender: sender, frame: frame, walk: walk) {
        case .walkedThrough:
            break
        case .stolen(let stolen):
            return stolen
        case let .blocked(filter, direction, rest):
            return suspend(SuspendedWalk(
                walk: walk, frame: frame, sender: sender, receiver: receiver, hasCompletion: withCompletion,
                stages: [.filters(rest, direction), .receiverFilters]), in: filter, direction: direction)
        }
        switch runFilters(receiver.filters.reversed(), direction: .rx, sender: sender, frame: frame, walk: walk) {
        case .walkedThrough:
            break
        case .stolen(let stolen):
            return stolen
        case let .blocked(filter, direction, rest):
            return suspend(SuspendedWalk(
                walk: walk, frame: frame, sender: sender, receiver: receiver, hasCompletion: withCompletion,
                stages: [.filters(rest, direction)]), in: filter, direction: direction)
        }
        return sendToIncomingQueue(
            of: receiver, frame: frame, sender: sender, walk: walk, hasCompletion: withCompletion)
    }
}
