import Fabric

/// The per-channel send queue and its drain (C-23..C-25), without I/O.
///
/// QEMU appends each record to a queue and, when no drain is running, starts one at once, so
/// with a writable peer every record is written before the call returns, in call order. A drain
/// that meets a blocked peer waits on its current record while later records queue up; when the
/// peer becomes writable the drain finishes that record, then takes the rest from the tail —
/// newest first since 7.0 (quirk `outputNewestFirst`; before 7.0 records were pushed at the head,
/// so the same tail drain gave call order). A failed write discards the current record and every
/// queued one; the next send starts a fresh drain.
struct SendChannel {
    struct Entry {
        var frame: Frame
        var primaryIndex: Int?
        var connection: ConnectionKey?
    }

    let channel: CompareChannel
    /// QEMU reads `vnet_hdr_support` at each write; a run-time change applies to the next one.
    var carriesVnetField: Bool
    let newestFirst: Bool
    private(set) var peer: PeerState = .writable
    /// QEMU's send list, head at index 0; the drain pops from the end.
    private(set) var pending: [Entry] = []
    /// The record a suspended drain is waiting to write.
    private(set) var inFlight: Entry?
    /// `inFlight` was handed back by `stall`: the host holds its unwritten bytes and finishes it
    /// itself, so the drain must not emit it again.
    private(set) var inFlightHeldByHost = false
    private(set) var discardedNotifyMessages = 0

    init(channel: CompareChannel, carriesVnetField: Bool, newestFirst: Bool) {
        self.channel = channel
        self.carriesVnetField = carriesVnetField
        self.newestFirst = newestFirst
    }

    var queuedCount: Int { pending.count + (inFlight == nil ? 0 : 1) }

    /// Queues a record. Returns false when QEMU refuses it: a zero-byte send (W-4).
    /// `connection` is kept for the drop event should a failing peer discard the record.
    @inline(__always)
    mutating func send(_ frame: consuming Frame, primaryIndex: Int?, connection: ConnectionKey?,
                       into actions: inout [CompareAction]) -> Bool {
        guard !frame.isEmpty else { return false }
        if inFlight == nil, pending.isEmpty, peer == .writable {
            // No drain running and nothing queued: the drain QEMU starts writes this very
            // record and finishes. Same outcome, without the queue round trip.
            actions.append(.write(CompareWrite(channel: channel, frame: frame,
                                               carriesVnetField: carriesVnetField, primaryIndex: primaryIndex)))
        } else {
            queueBehindDrain(Entry(frame: frame, primaryIndex: primaryIndex, connection: connection), into: &actions)
        }
        return true
    }

    /// A drain is running or the peer is not writable: queue the record (C-24).
    private mutating func queueBehindDrain(_ entry: consuming Entry, into actions: inout [CompareAction]) {
        if newestFirst || pending.isEmpty {
            pending.append(entry)
        } else {
            pending.insert(entry, at: 0)
        }
        if inFlight == nil { drain(into: &actions) }
    }

    /// The host wrote only part of what it was handed (a socket host batches writes): `current`
    /// was being written when the peer stopped taking bytes; `fromQueue` are later writes this
    /// channel's drain had taken from its queue, `new` later writes it emitted at once (in the
    /// order emitted); none of their bytes went out. QEMU's drain had popped `current` and
    /// retries it; the rest sit in its send list: the drained ones where they were, the new ones
    /// pushed after them. So `current` becomes the suspended drain's record (held by the host,
    /// which reports `.writable` once it has finished it, or `.failing`), the others go back to
    /// those places, and the peer is blocked.
    mutating func stall(current: Entry, fromQueue: [Entry], new: [Entry]) {
        peer = .blocked
        var drained = fromQueue
        if inFlight == nil {
            inFlight = current
            inFlightHeldByHost = true
        } else {
            drained.insert(current, at: 0)
        }
        // The drain pops from the end. Newest-first: the drained ones were popped from the end
        // in emission order, the new ones were pushed at the end after them. Pre-7.0 layout:
        // everything pops oldest first, the drained ones before the new ones.
        if newestFirst {
            pending = Array(drained.reversed()) + pending + new
        } else {
            pending = pending + Array(new.reversed()) + Array(drained.reversed())
        }
    }

    mutating func setPeer(_ state: PeerState, into actions: inout [CompareAction]) {
        peer = state
        if inFlight != nil { drain(into: &actions) }
    }

    private mutating func drain(into actions: inout [CompareAction]) {
        while true {
            if inFlight == nil {
                guard let next = pending.popLast() else { return }
                inFlight = next
            }
            switch peer {
            case .writable:
                if let entry = inFlight, !inFlightHeldByHost {
                    actions.append(.write(CompareWrite(
                        channel: channel, frame: entry.frame,
                        carriesVnetField: carriesVnetField, primaryIndex: entry.primaryIndex)))
                }
                inFlight = nil
                inFlightHeldByHost = false
            case .blocked:
                return
            case .failing:
                if let entry = inFlight { discard(entry, into: &actions) }
                inFlight = nil
                inFlightHeldByHost = false
                while let entry = pending.popLast() { discard(entry, into: &actions) }
                return
            }
        }
    }

    private mutating func discard(_ entry: Entry, into actions: inout [CompareAction]) {
        guard let index = entry.primaryIndex else {
            discardedNotifyMessages += 1
            return
        }
        actions.append(.event(.drop(CompareDrop(side: .primary, index: index, connection: entry.connection, reason: .writeFailed))))
    }
}
