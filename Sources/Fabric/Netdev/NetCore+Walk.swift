extension NetCore {
    /// Walks `filters` in the given order (F-5, F-6). Returns the outcome when a filter stole the
    /// frame, nil when every filter let it continue.
    ///
    /// Generic so that callers pass a slice or a reversed view of a netdev's list (a snapshot,
    /// as arrays are values) instead of building a new array for every frame.
    func runFilters<Filters: Collection<FilterContext>>(
        _ filters: Filters, direction: NetDirection, sender: NetClient, frame: Frame, walk: WalkID
    ) -> SendOutcome? {
        for context in filters {
            guard context.status == .on else {
                emit(.filterSkipped(walk, filter: context.id, direction: direction, reason: .statusOff))
                continue
            }
            guard context.queue.sees(direction) else {
                emit(.filterSkipped(walk, filter: context.id, direction: direction, reason: .queueMismatch(context.queue)))
                continue
            }
            switch context.filter.receive(frame, direction: direction, sender: sender, context: context) {
            case .pass:
                emit(.filterPassed(walk, filter: context.id, direction: direction))
            case .passAfterCopy(let output):
                emit(.filterCopied(walk, filter: context.id, direction: direction, output: output))
            case .steal(let sendResult, let output) where sendResult == 0:
                // In QEMU's convention 0 means "continue", whatever the filter meant by it.
                emit(.filterCopied(walk, filter: context.id, direction: direction, output: output))
            case .steal(let sendResult, let output):
                counters.stolen += 1
                emit(.filterStole(walk, filter: context.id, direction: direction, sendResult: sendResult, output: output))
                return SendOutcome(walk: walk, returnValue: sendResult, fate: .stolen(by: context.id, sendResult: sendResult))
            }
        }
        return nil
    }

    /// F-7 (QEMU's pass-to-next): `origin` re-injects `frame` as if `nominalSender` had sent it.
    /// The walk resumes at the filter next to `origin` in that direction's order and ends in the
    /// nominal sender's peer's incoming queue, without a completion callback.
    func passToNext(from origin: FilterContext, frame: Frame, nominalSender: NetClient?) -> SendOutcome {
        let walk = startWalk()
        let size = frame.count
        guard let sender = nominalSender, let receiver = sender.peer else {
            emit(.injectionStarted(walk, filter: origin.id, nominalSender: nominalSender?.name, direction: nil, frame: frame))
            drop(walk, .noReceiverForInjection, at: nominalSender)
            return SendOutcome(walk: walk, returnValue: size, fate: .dropped(.noReceiverForInjection))
        }
        let direction = origin.queue.injectionDirection(nominalSender: sender, netdev: origin.netdev)
        emit(.injectionStarted(walk, filter: origin.id, nominalSender: sender.name, direction: direction, frame: frame))
        let list = origin.netdev.filters
        let stolen: SendOutcome?
        if let position = list.firstIndex(where: { $0 === origin }) {
            switch direction {
            case .tx: stolen = runFilters(list[(position + 1)...], direction: direction, sender: sender, frame: frame, walk: walk)
            case .rx: stolen = runFilters(list[..<position].reversed(), direction: direction, sender: sender, frame: frame, walk: walk)
            }
        } else {
            // The injecting filter was already unlinked (deleted): it has no neighbours left.
            stolen = nil
        }
        if let stolen {
            return stolen
        }
        let delivery = sendToIncomingQueue(of: receiver, frame: frame, sender: sender, walk: walk, hasCompletion: false)
        // QEMU reports the full size whatever happened after the filters.
        return SendOutcome(walk: walk, returnValue: size, fate: delivery.fate)
    }
}
