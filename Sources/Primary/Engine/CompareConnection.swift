import Fabric
import DequeModule

/// One side's queue of a connection: both of its ends are in use (C-7), so a deque.
typealias PacketQueue = Deque<QueuedPacket>

/// One tracked connection of the compare (P-6, §7.5): its two queues and TCP state.
///
/// Queues are kept exactly as QEMU's GQueues: index 0 is the head, the last element the tail,
/// so insertion, consumption and scans follow QEMU's ends literally (C-7).
struct CompareConnection {
    let key: ConnectionKey
    var primary = PacketQueue()
    var secondary = PacketQueue()
    /// compare_seq (C-10); `compareSeqSet` replaces "0 means unset" when that quirk is off.
    var compareSeq: UInt32 = 0
    var compareSeqSet = false
    /// pack / sack (C-8) and, for the corrected profile, whether any ack was recorded.
    var primaryMaxAck: UInt32 = 0
    var secondaryMaxAck: UInt32 = 0
    var primaryAckSeen = false
    var secondaryAckSeen = false

    init(key: ConnectionKey) {
        self.key = key
    }

    var isTCP: Bool { key.ipProtocol == IPProtocolNumber.tcp }

    // MARK: Insertion (C-6, C-7, C-8)

    /// Inserts `packet` when its queue holds at most `maxQueueSize` packets; false otherwise.
    /// `queueLength` is the length of the packet's queue (the caller has it already).
    mutating func insert(_ packet: consuming QueuedPacket, side: CompareSide, queueLength length: Int,
                         maxQueueSize: UInt32, quirks: CompareQuirks) -> Bool {
        guard length == 0 || length <= Int(maxQueueSize) else { return false }
        if isTCP {
            packet.fillTCPFields(quirks: quirks)
            switch side {
            case .primary:
                updateMaxAck(&primaryMaxAck, seen: &primaryAckSeen, with: packet.ack, quirks: quirks)
                CompareConnection.insertSorted(packet, into: &primary, ascending: quirks[.ascendingTCPQueueLayout])
            case .secondary:
                updateMaxAck(&secondaryMaxAck, seen: &secondaryAckSeen, with: packet.ack, quirks: quirks)
                CompareConnection.insertSorted(packet, into: &secondary, ascending: quirks[.ascendingTCPQueueLayout])
            }
        } else {
            switch side {
            case .primary: primary.append(packet)
            case .secondary: secondary.append(packet)
            }
        }
        return true
    }

    private func updateMaxAck(_ maxAck: inout UInt32, seen: inout Bool, with ack: UInt32, quirks: CompareQuirks) {
        if quirks[.lastAckNotMaximum] {
            // QEMU tests the unsigned difference for > 0: any other ack replaces the stored one.
            if ack &- maxAck > 0 { maxAck = ack }
        } else if !seen || later(ack, maxAck) {
            maxAck = ack
        }
        seen = true
    }

    /// QEMU's sorted insertion: walk from the head past every packet the comparator puts
    /// before the new one, insert in front of the first that it does not. The comparator is
    /// the signed 32-bit difference of sequence numbers (circular, not a total order), so the
    /// walk is reproduced literally rather than replaced by a binary search.
    static func insertSorted(_ packet: consuming QueuedPacket, into queue: inout PacketQueue, ascending: Bool) {
        var position = 0
        if ascending {
            // Before 7.0: ascending from the head; equal sequence numbers: newer nearer the head.
            while position < queue.count, Int32(bitPattern: queue[position].seq &- packet.seq) < 0 { position += 1 }
        } else {
            // Since 7.0: descending from the head; equal sequence numbers: older nearer the tail.
            while position < queue.count, Int32(bitPattern: packet.seq &- queue[position].seq) < 0 { position += 1 }
        }
        insert(packet, into: &queue, at: position)
    }

    /// A deque moves the shorter side on insertion, so the usual arrival (at the head since
    /// QEMU 7.0, at the tail before) costs the same however long the queue is.
    static func insert(_ packet: consuming QueuedPacket, into queue: inout PacketQueue, at position: Int) {
        queue.insert(packet, at: position)
    }

    // MARK: Consumption ends (C-7)

    /// Whether this connection's queues are consumed from the tail.
    func consumesFromTail(_ quirks: CompareQuirks) -> Bool {
        isTCP ? !quirks[.ascendingTCPQueueLayout] : quirks[.nonTCPNewestFirst]
    }

    static func take(from queue: inout PacketQueue, tail: Bool) -> QueuedPacket? {
        guard !queue.isEmpty else { return nil }
        return tail ? queue.removeLast() : queue.removeFirst()
    }

    static func putBack(_ packet: consuming QueuedPacket, into queue: inout PacketQueue, tail: Bool) {
        if tail { queue.append(packet) } else { queue.insert(packet, at: 0) }
    }

    /// Removes the packet at `index`; the ends avoid the general (and for this element type
    /// costly) `remove(at:)`.
    static func remove(from queue: inout PacketQueue, at index: Int) -> QueuedPacket {
        index == queue.count - 1 ? queue.removeLast() : queue.remove(at: index)
    }

    /// Empties a queue, returning its packets in the order QEMU pops them.
    static func takeAll(_ queue: inout PacketQueue, tail: Bool) -> [QueuedPacket] {
        let all = Array(queue)
        queue.removeAll()
        return tail ? all.reversed() : all
    }

    // MARK: compare_seq

    func hasCompareSeq(_ quirks: CompareQuirks) -> Bool {
        quirks[.zeroCompareSeqMeansUnset] ? compareSeq != 0 : compareSeqSet
    }

    mutating func setCompareSeq(_ value: UInt32) {
        compareSeq = value
        compareSeqSet = true
    }
}
