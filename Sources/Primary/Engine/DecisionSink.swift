import Fabric

/// Where the compare's decisions go: the event stream, the output channels and the checkpoint
/// request path (C-18). One per compare; the engine drains `actions` after each input.
struct DecisionSink {
    var actions: [CompareAction] = []
    var outdev: SendChannel
    /// Present iff notify_dev is configured.
    var notify: SendChannel?
    private(set) var checkpointRequests = 0

    init(vnetHeaderSupport: Bool, hasNotifyDev: Bool, quirks: CompareQuirks) {
        outdev = SendChannel(channel: .outdev, carriesVnetField: vnetHeaderSupport, newestFirst: quirks[.outputNewestFirst])
        if hasNotifyDev {
            notify = SendChannel(channel: .notifyDev, carriesVnetField: false, newestFirst: quirks[.outputNewestFirst])
        }
    }

    @inline(__always)
    mutating func release(_ packet: consuming QueuedPacket, connection: ConnectionKey, reason: ReleaseReason) {
        let index = packet.index
        release(packet.takeFrame(), index: index, connection: connection, reason: reason)
    }

    /// Records the release, then hands the record to outdev with the V it arrived with (W-4).
    mutating func release(_ frame: consuming Frame, index: Int, connection: ConnectionKey?, reason: ReleaseReason) {
        actions.append(.event(.release(CompareRelease(primaryIndex: index, connection: connection, reason: reason))))
        _ = outdev.send(frame, primaryIndex: index, connection: connection, into: &actions)
    }

    mutating func drop(_ side: CompareSide, index: Int, connection: ConnectionKey?, reason: CompareDropReason) {
        actions.append(.event(.drop(CompareDrop(side: side, index: index, connection: connection, reason: reason))))
    }

    /// C-18: `DO_CHECKPOINT` on notify_dev when configured, otherwise the local listeners.
    mutating func requestCheckpoint(_ connection: ConnectionKey, reason: CheckpointReason) {
        checkpointRequests += 1
        if notify != nil {
            actions.append(.event(.checkpointRequest(CompareCheckpointRequest(connection: connection, reason: reason, delivery: .notifyDev))))
            sendNotify(NotifyProtocol.doCheckpoint)
        } else {
            actions.append(.event(.checkpointRequest(CompareCheckpointRequest(connection: connection, reason: reason, delivery: .local))))
            actions.append(.requestCheckpoint)
        }
    }

    mutating func sendNotify(_ message: [UInt8]) {
        _ = notify?.send(Frame(message), primaryIndex: nil, connection: nil, into: &actions)
    }

    mutating func setPeer(_ state: PeerState, for channel: CompareChannel) {
        switch channel {
        case .outdev: outdev.setPeer(state, into: &actions)
        case .notifyDev: notify?.setPeer(state, into: &actions)
        }
    }

    mutating func stall(_ channel: CompareChannel, current: SendChannel.Entry, fromQueue: [SendChannel.Entry], new: [SendChannel.Entry]) {
        switch channel {
        case .outdev: outdev.stall(current: current, fromQueue: fromQueue, new: new)
        case .notifyDev: notify?.stall(current: current, fromQueue: fromQueue, new: new)
        }
    }

    func queuedCount(_ channel: CompareChannel) -> Int {
        switch channel {
        case .outdev: outdev.queuedCount
        case .notifyDev: notify?.queuedCount ?? 0
        }
    }

    /// Moves the accumulated actions to `destination`, keeping this buffer's capacity. Inlined:
    /// it runs after every input, and on the usual path (an empty destination) it is one swap.
    @inline(__always)
    mutating func drain(into destination: inout [CompareAction]) {
        if destination.isEmpty {
            swap(&destination, &actions)
        } else {
            destination.append(contentsOf: actions)
            actions.removeAll(keepingCapacity: true)
        }
    }
}
