extension NetCore {
    /// F-12/F-13: hand `frame` to `receiver`'s incoming queue.
    func sendToIncomingQueue(
        of receiver: NetClient, frame: Frame, sender: NetClient, walk: WalkID, hasCompletion: Bool
    ) -> SendOutcome {
        let queue = receiver.incoming
        let entry = QueuedFrame(frame: frame, sender: sender, walk: walk, hasCompletion: hasCompletion)
        if queue.isDelivering {
            return append(entry, to: receiver, reason: .deliveryInProgress)
        }
        if let reason = whyCannotSend(sender) {
            return append(entry, to: receiver, reason: reason)
        }
        if queueOrdering == .fifo && !queue.isEmpty {
            let outcome = append(entry, to: receiver, reason: .olderFramesWaiting)
            flushIncomingQueue(of: receiver)
            if case .queued = outcome.fate, !queue.contains(walk) {
                return SendOutcome(walk: walk, returnValue: frame.count, fate: .delivered(to: receiver.name))
            }
            return outcome
        }
        switch deliver(entry, to: receiver, fromQueue: false) {
        case .deferred:
            return append(entry, to: receiver, reason: .receiverDeferred)
        case .finished(let returnValue, let fate):
            // F-13 (quirk): older waiting frames go out only now, after this newer one.
            flushIncomingQueue(of: receiver)
            return SendOutcome(walk: walk, returnValue: returnValue, fate: fate)
        }
    }

    /// QEMU's "can send" (`qemu_can_send_packet`). Filters that queue by themselves (the
    /// rewriter) ask it. A tap does not: since QEMU 2.4 it reads while its polling is on, the
    /// frame walks the filters, and the queue holds it when this is false (F-12).
    public func canSend(_ client: NetClient) -> Bool {
        whyCannotSend(client) == nil
    }

    /// Why `sender` cannot send now (the VM is stopped or its peer cannot receive), or nil.
    func whyCannotSend(_ sender: NetClient) -> QueueReason? {
        guard isVMRunning else { return .vmStopped }
        guard let peer = sender.peer else { return nil }
        return canReceive(peer) ? nil : .receiverCannotReceive
    }

    func canReceive(_ client: NetClient) -> Bool {
        !client.isReceiveDisabled && client.endpoint.canReceive()
    }

    private func append(_ entry: QueuedFrame, to receiver: NetClient, reason: QueueReason) -> SendOutcome {
        let queue = receiver.incoming
        if queue.entries.count >= NetLimits.incomingQueueCapacity && !entry.hasCompletion {
            drop(entry.walk, .queueFull, at: receiver)
            return SendOutcome(walk: entry.walk, returnValue: 0, fate: .dropped(.queueFull))
        }
        queue.entries.append(entry)
        counters.queued += 1
        emit(.queued(entry.walk, client: receiver.name, depth: queue.entries.count, reason: reason))
        return SendOutcome(walk: entry.walk, returnValue: 0, fate: .queued(at: receiver.name))
    }

    enum DeliveryResult {
        case deferred
        case finished(returnValue: Int, fate: WalkFate)
    }

    /// Hands one frame to the receiver's endpoint.
    private func deliver(_ entry: QueuedFrame, to receiver: NetClient, fromQueue: Bool) -> DeliveryResult {
        let size = entry.frame.count
        if receiver.isLinkDown {
            drop(entry.walk, .receiverLinkDown, at: receiver)
            return .finished(returnValue: size, fate: .dropped(.receiverLinkDown))
        }
        if receiver.isReceiveDisabled {
            return .deferred
        }
        receiver.incoming.isDelivering = true
        let receipt = receiver.endpoint.receive(entry.frame, from: entry.sender)
        receiver.incoming.isDelivering = false
        switch receipt {
        case .accepted:
            counters.delivered += 1
            emit(.delivered(entry.walk, client: receiver.name, fromQueue: fromQueue))
            return .finished(returnValue: size, fate: .delivered(to: receiver.name))
        case .deferred:
            receiver.isReceiveDisabled = true
            return .deferred
        case .refused:
            drop(entry.walk, .receiverRefused, at: receiver)
            return .finished(returnValue: -1, fate: .dropped(.receiverRefused))
        }
    }

    /// Delivers waiting frames oldest first until one is deferred. Returns true when the queue
    /// emptied.
    @discardableResult
    func flushIncomingQueue(of receiver: NetClient) -> Bool {
        let queue = receiver.incoming
        while let entry = queue.entries.first {
            queue.entries.removeFirst()
            switch deliver(entry, to: receiver, fromQueue: true) {
            case .deferred:
                queue.entries.prepend(entry)
                return false
            case .finished:
                if entry.hasCompletion {
                    emit(.sendCompleted(entry.walk, sender: entry.sender.name))
                }
            }
        }
        return true
    }

    /// QEMU's "flush queued packets" for a client whose endpoint can receive again: clears the
    /// receive-disabled state and delivers what waits.
    public func flushQueuedFrames(of client: NetClient) {
        client.isReceiveDisabled = false
        flushIncomingQueue(of: client)
    }

    /// F-14. Starting flushes, for every client in creation order that can send, its peer's
    /// queue. Stopping flushes every client's own queue and purges what its peer sent that
    /// still cannot be delivered.
    public func setVMRunning(_ running: Bool) {
        guard running != isVMRunning else { return }
        isVMRunning = running
        emit(.vmStateChanged(running: running))
        for client in clients {
            if running {
                if let peer = client.peer, whyCannotSend(client) == nil {
                    flushQueuedFrames(of: peer)
                }
            } else {
                client.isReceiveDisabled = false
                if !flushIncomingQueue(of: client), let peer = client.peer {
                    purge(client, framesFrom: peer)
                }
            }
        }
    }

    /// QEMU's purge also calls each purged frame's completion callback, so a tap whose frame
    /// is purged polls again.
    private func purge(_ receiver: NetClient, framesFrom sender: NetClient) {
        var kept: [QueuedFrame] = []
        for entry in receiver.incoming.entries {
            if entry.sender === sender {
                drop(entry.walk, .purgedOnVMStop, at: receiver)
                if entry.hasCompletion {
                    emit(.sendCompleted(entry.walk, sender: entry.sender.name))
                }
            } else {
                kept.append(entry)
            }
        }
        receiver.incoming.entries = .init(kept)
    }
}
