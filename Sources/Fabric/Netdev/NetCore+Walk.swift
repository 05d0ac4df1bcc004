/// How a run over part of a filter list ended.
enum FilterRunEnd {
    /// Every filter let the frame continue.
    case walkedThrough
    case stolen(SendOutcome)
    /// `filter`'s write blocks (M-4, R-3); `rest` are the filters after it in this run.
    case blocked(filter: FilterContext, direction: NetDirection, rest: [FilterContext])
}

extension NetCore {
    /// Walks `filters` in the given order (F-5, F-6), until one steals the frame or blocks in
    /// a write.
    ///
    /// Generic so that callers pass a slice or a reversed view of a netdev's list (a snapshot,
    /// as arrays are values) instead of building a new array for every frame.
    func runFilters<Filters: Collection<FilterContext>>(
        _ filters: Filters, direction: NetDirection, sender: NetClient, frame: Frame, walk: WalkID
    ) -> FilterRunEnd {
        var index = filters.startIndex
        while index != filters.endIndex {
            let context = filters[index]
            filters.formIndex(after: &index)
            guard context.status == .on else {
                emit(.filterSkipped(walk, filter: context.id, direction: direction, reason: .statusOff))
                continue
            }
            guard context.queue.sees(direction) else {
                emit(.filterSkipped(walk, filter: context.id, direction: direction, reason: .queueMismatch(context.queue)))
                continue
            }
            let verdict = context.filter.receive(frame, direction: direction, sender: sender, context: context)
            if case .blockedOnWrite(let destination) = verdict {
                emit(.writeBlocked(walk, filter: context.id, direction: direction, destination: destination))
                return .blocked(filter: context, direction: direction, rest: Array(filters[index...]))
            }
            if let stolen = take(verdict, of: context, direction: direction, walk: walk) {
                return .stolen(stolen)
            }
        }
        return .walkedThrough
    }

    /// Records what a filter decided; returns the walk's outcome when it stole the frame.
    private func take(_ verdict: FilterVerdict, of context: FilterContext, direction: NetDirection, walk: WalkID) -> SendOutcome? {
        switch verdict {
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
        case .blockedOnWrite:
            // A filter resuming from a blocked write gives its final verdict; treat a second
            // "blocked" as a pass rather than wait forever.
            emit(.filterPassed(walk, filter: context.id, direction: direction))
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
        let end: FilterRunEnd
        if let position = list.firstIndex(where: { $0 === origin }) {
            switch direction {
            case .tx: end = runFilters(list[(position + 1)...], direction: direction, sender: sender, frame: frame, walk: walk)
            case .rx: end = runFilters(list[..<position].reversed(), direction: direction, sender: sender, frame: frame, walk: walk)
            }
        } else {
            // The injecting filter was already unlinked (deleted): it has no neighbours left.
            end = .walkedThrough
        }
        switch end {
        case .walkedThrough:
            break
        case .stolen(let stolen):
            return stolen
        case let .blocked(filter, blockedDirection, rest):
            return suspend(SuspendedWalk(
                walk: walk, frame: frame, sender: sender, receiver: receiver, hasCompletion: false,
                stages: [.filters(rest, blockedDirection)]), in: filter, direction: blockedDirection)
        }
        let delivery = sendToIncomingQueue(of: receiver, frame: frame, sender: sender, walk: walk, hasCompletion: false)
        // QEMU reports the full size whatever happened after the filters.
        return SendOutcome(walk: walk, returnValue: size, fate: delivery.fate)
    }

    // MARK: Blocked writes (M-4, R-3)

    /// `filter`'s write blocks: the walk waits in it, and the process's main loop with it,
    /// until the filter hears how the write ended.
    func suspend(_ suspended: SuspendedWalk, in filter: FilterContext, direction: NetDirection) -> SendOutcome {
        mainLoop.enterBlockedWrite()
        suspendedWalks += 1
        filter.filter.resumeAfterBlockedWrite(suspended.frame, context: filter) { [weak self] verdict in
            self?.resume(suspended, after: filter, direction: direction, verdict: verdict)
        }
        return SendOutcome(walk: suspended.walk, returnValue: 0, fate: .blocked(in: filter.id))
    }

    /// The blocked write ended: the filter's verdict, then the rest of the walk, then the main
    /// loop is free. A sender that passed a completion callback hears that its send returned.
    private func resume(_ suspended: SuspendedWalk, after filter: FilterContext, direction: NetDirection, verdict: FilterVerdict) {
        let walk = suspended.walk
        emit(.walkResumed(walk, filter: filter.id))
        suspendedWalks -= 1
        var outcome = take(verdict, of: filter, direction: direction, walk: walk)
        while outcome == nil, !suspended.stages.isEmpty {
            let stage = suspended.stages.removeFirst()
            let end: FilterRunEnd
            switch stage {
            case let .filters(filters, stageDirection):
                end = runFilters(filters, direction: stageDirection, sender: suspended.sender, frame: suspended.frame, walk: walk)
            case .receiverFilters:
                let filters = suspended.receiver?.filters.reversed() ?? []
                end = runFilters(filters, direction: .rx, sender: suspended.sender, frame: suspended.frame, walk: walk)
            }
            switch end {
            case .walkedThrough:
                continue
            case .stolen(let stolen):
                outcome = stolen
            case let .blocked(next, nextDirection, rest):
                suspended.stages.insert(.filters(rest, nextDirection), at: 0)
                _ = suspend(suspended, in: next, direction: nextDirection)
                mainLoop.leaveBlockedWrite()
                return
            }
        }
        if outcome == nil {
            if let receiver = suspended.receiver {
                outcome = sendToIncomingQueue(
                    of: receiver, frame: suspended.frame, sender: suspended.sender, walk: walk, hasCompletion: suspended.hasCompletion)
            } else {
                drop(walk, .noReceiverForInjection, at: suspended.sender)
                outcome = SendOutcome(walk: walk, returnValue: suspended.frame.count, fate: .dropped(.noReceiverForInjection))
            }
        }
        if let outcome, suspended.hasCompletion, case .queued = outcome.fate {
            // The queue's flush will complete it.
        } else if suspended.hasCompletion {
            emit(.sendCompleted(walk, sender: suspended.sender.name))
        }
        mainLoop.leaveBlockedWrite()
    }
}
