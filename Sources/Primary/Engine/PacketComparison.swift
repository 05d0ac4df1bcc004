import Fabric

extension CompareConnection {
    /// C-14: take one primary (newest under the 7.0 quirk, else oldest), look for the first
    /// equal secondary from the oldest; release and drop on a match, otherwise put the primary
    /// back, request a checkpoint and stop.
    mutating func compareNonTCP(quirks: CompareQuirks, sink: inout DecisionSink) {
        let tail = consumesFromTail(quirks)
        while !primary.isEmpty, !secondary.isEmpty {
            guard let p = CompareConnection.take(from: &primary, tail: tail) else { return }
            if let found = secondary.firstIndex(where: { CompareConnection.equal(p, $0, ipProtocol: key.ipProtocol, quirks: quirks) }) {
                let s = CompareConnection.remove(from: &secondary, at: found)
                sink.release(p, connection: key, reason: .matched(secondaryIndex: s.index, how: .identicalPacket))
                sink.drop(.secondary, index: s.index, connection: key, reason: .compared(primaryIndex: p.index))
            } else {
                let first = secondary[0]
                let mismatch = NonTCPMismatch(primaryIndex: p.index, candidates: secondary.count,
                                              firstCandidateIndex: first.index,
                                              difference: CompareConnection.difference(p, first, ipProtocol: key.ipProtocol, quirks: quirks))
                CompareConnection.putBack(p, into: &primary, tail: tail)
                sink.requestCheckpoint(key, reason: .noMatch(mismatch))
                return
            }
        }
    }

    /// What `matchArrival` found out about a non-TCP arrival.
    enum ArrivalOutcome {
        /// Released and dropped: the arrival is done with.
        case decided
        /// The other side's queue is empty: after insertion C-14's loop would not run.
        case nothingToCompare
        /// Take the general path: insert, then `compareNonTCP`.
        case undecided
    }

    /// C-14 for a non-TCP arrival, decided without the queue round trip where that is exact.
    ///
    /// The general path inserts the arrival (an empty queue always accepts it, C-6) and runs
    /// `compareNonTCP`, whose loop needs both queues non-empty. With the arrival's own queue
    /// otherwise empty, the loop's first round is fully determined: a secondary arrival meets
    /// the primary taken from the consuming end, a primary arrival is the primary taken and
    /// meets the secondaries from the oldest. On a match that round releases and drops exactly
    /// as here, and then one queue is empty, so the loop ends. Changes nothing unless it
    /// returns `.decided`.
    mutating func matchArrival(_ frame: Frame, layout: COLOPacketLayout, index: Int, side: CompareSide,
                               quirks: CompareQuirks, sink: inout DecisionSink) -> ArrivalOutcome {
        switch side {
        case .secondary:
            guard !primary.isEmpty else { return .nothingToCompare }
            guard secondary.isEmpty else { return .undecided }
            let position = consumesFromTail(quirks) ? primary.count - 1 : 0
            guard primary[position].equalsInPlace(frame.bytes, ipProtocol: key.ipProtocol, quirks: quirks) else {
                return .undecided
            }
            let p = CompareConnection.remove(from: &primary, at: position)
            let primaryIndex = p.index
            sink.release(p, connection: key, reason: .matched(secondaryIndex: index, how: .identicalPacket))
            sink.drop(.secondary, index: index, connection: key, reason: .compared(primaryIndex: primaryIndex))
            return .decided
        case .primary:
            guard !secondary.isEmpty else { return .nothingToCompare }
            guard primary.isEmpty else { return .undecided }
            let range = CompareConnection.comparedRange(
                frameLength: frame.bytes.count, vnetHeaderLength: Int(frame.vnetHeaderLength),
                networkOffset: layout.networkOffset, ihl: layout.ihl, ipProtocol: key.ipProtocol, quirks: quirks)
            guard let found = secondary.firstIndex(where: { CompareConnection.equal(frame.bytes, $0.frame.bytes, range: range, quirks: quirks) })
            else { return .undecided }
            let secondaryIndex = CompareConnection.remove(from: &secondary, at: found).index
            sink.release(frame, index: index, connection: key, reason: .matched(secondaryIndex: secondaryIndex, how: .identicalPacket))
            sink.drop(.secondary, index: secondaryIndex, connection: key, reason: .compared(primaryIndex: index))
            return .decided
        }
    }

    /// Where the compared bytes start and how many there are (C-15..C-17), chosen by the
    /// connection's protocol. Both packets use the primary's layout, as QEMU does.
    @inline(__always)
    static func comparedRange(_ p: borrowing QueuedPacket, ipProtocol: UInt8, quirks: CompareQuirks) -> (start: Int, length: Int) {
        comparedRange(frameLength: p.frame.bytes.count, vnetHeaderLength: p.vnetHeaderLength, networkOffset: p.networkOffset,
                      ihl: p.ihl, ipProtocol: ipProtocol, quirks: quirks)
    }

    @inline(__always)
    static func comparedRange(frameLength: Int, vnetHeaderLength: Int, networkOffset: Int, ihl: Int,
                              ipProtocol: UInt8, quirks: CompareQuirks) -> (start: Int, length: Int) {
        let start: Int
        switch ipProtocol {
        case IPProtocolNumber.udp, IPProtocolNumber.icmp:
            let l2 = quirks[.untaggedTransportOffset] ? 14 : networkOffset - vnetHeaderLength
            start = vnetHeaderLength + l2 + 4 * ihl
        default:
            start = vnetHeaderLength
        }
        let length = frameLength - start
        return (start, quirks[.sixteenBitArithmetic] ? Int(UInt16(truncatingIfNeeded: length)) : length)
    }

    /// C-15/C-16/C-17 equality: same frame length, then the compared range byte for byte.
    static func equal(_ p: borrowing QueuedPacket, _ s: borrowing QueuedPacket, ipProtocol: UInt8, quirks: CompareQuirks) -> Bool {
        equal(p.frame.bytes, s.frame.bytes, range: comparedRange(p, ipProtocol: ipProtocol, quirks: quirks), quirks: quirks)
    }

    /// The same, given the primary's compared range.
    @inline(__always)
    static func equal(_ p: [UInt8], _ s: [UInt8], range: (start: Int, length: Int), quirks: CompareQuirks) -> Bool {
        guard p.count == s.count else { return false }
        if case .equal = ByteRangeComparison.compare(p, from: range.start, s, from: range.start,
                                                     length: range.length, pastFrame: quirks.pastFrameReads) {
            return true
        }
        return false
    }

    static func difference(_ p: QueuedPacket, _ s: QueuedPacket, ipProtocol: UInt8, quirks: CompareQuirks) -> NonTCPMismatch.Difference {
        guard p.frame.count == s.frame.count else {
            return .lengthDiffers(primary: p.frame.count, secondary: s.frame.count)
        }
        let range = comparedRange(p, ipProtocol: ipProtocol, quirks: quirks)
        let found = ByteRangeComparison.firstDifference(p.frame.bytes, range.start, s.frame.bytes, range.start, range.length,
                                                       pastFrame: quirks.pastFrameReads)
        // Equal ranges cannot reach here for the first candidate; report a zero-length
        // difference defensively rather than trap.
        return .bytesDiffer(found ?? ByteDifference(index: 0, primaryFrameOffset: range.start, secondaryFrameOffset: range.start,
                                                    primaryByte: 0, secondaryByte: 0))
    }
}

extension QueuedPacket {
    /// C-15..C-17 equality of this (primary) packet with a secondary frame's bytes.
    ///
    /// Mutating although it changes nothing: called on a queue element, a mutating access
    /// works on the element in place, where a read of `queue[i]` would copy the whole packet
    /// (and retain its frame) first.
    @inline(__always)
    mutating func equalsInPlace(_ secondary: [UInt8], ipProtocol: UInt8, quirks: CompareQuirks) -> Bool {
        CompareConnection.equal(frame.bytes, secondary,
                                range: CompareConnection.comparedRange(self, ipProtocol: ipProtocol, quirks: quirks), quirks: quirks)
    }
}
