import Fabric

/// The outcome of C-11 for one primary/secondary pair.
enum TCPJudgement {
    /// MATCH, RELEASE_PRIMARY (C-11.2).
    case releasePrimary
    /// MATCH, DROP_SECONDARY (C-11.3).
    case dropSecondary
    /// MATCH, BOTH (C-11.1).
    case both
    case mismatch(CheckpointReason)
}

extension CompareConnection {
    /// C-9: the ack gate, computed once on entry.
    func ackGate(_ quirks: CompareQuirks) -> UInt32 {
        if quirks.unsignedAckGate { return min(primaryMaxAck, secondaryMaxAck) }
        return later(primaryMaxAck, secondaryMaxAck) ? secondaryMaxAck : primaryMaxAck
    }

    /// C-10, step by step as QEMU runs it (the `goto`s become the `current` packet: nil means
    /// "take the next primary", set means "compare it with the next secondary").
    mutating func compareTCP(quirks: CompareQuirks, sink: inout DecisionSink) {
        let gate = ackGate(quirks)
        let tail = consumesFromTail(quirks)
        var current: QueuedPacket?
        while true {
            if current == nil {
                guard let next = CompareConnection.take(from: &primary, tail: tail) else { return }
                current = next
            }
            guard var s = CompareConnection.take(from: &secondary, tail: tail) else {
                if let p = current { CompareConnection.putBack(p, into: &primary, tail: tail) }
                return
            }
            if let p = current, !p.hasPayload {
                sink.release(p, connection: key, reason: .noPayload(flags: p.flags))
                current = nil
            }
            if let p = current, hasCompareSeq(quirks), !later(p.seqEnd, compareSeq) {
                sink.release(p, connection: key, reason: .retransmission(seqEnd: p.seqEnd, compareSeq: compareSeq))
                current = nil
            }
            if !s.hasPayload {
                sink.drop(.secondary, index: s.index, connection: key, reason: .noPayload)
                continue
            }
            if hasCompareSeq(quirks), !later(s.seqEnd, compareSeq) {
                sink.drop(.secondary, index: s.index, connection: key, reason: .retransmission(seqEnd: s.seqEnd, compareSeq: compareSeq))
                continue
            }
            guard var p = current else {
                CompareConnection.putBack(s, into: &secondary, tail: tail)
                continue
            }
            switch CompareConnection.judge(&p, &s, gate: gate, maxAcks: (primaryMaxAck, secondaryMaxAck), quirks: quirks) {
            case .releasePrimary:
                setCompareSeq(p.seqEnd)
                sink.release(p, connection: key, reason: .matched(secondaryIndex: s.index, how: .coveredBySecondary))
                CompareConnection.putBack(s, into: &secondary, tail: tail)
                current = nil
            case .dropSecondary:
                setCompareSeq(s.seqEnd)
                sink.drop(.secondary, index: s.index, connection: key, reason: .compared(primaryIndex: p.index))
                current = p
            case .both:
                setCompareSeq(p.seqEnd)
                sink.release(p, connection: key, reason: .matched(secondaryIndex: s.index, how: .sameSegment))
                sink.drop(.secondary, index: s.index, connection: key, reason: .compared(primaryIndex: p.index))
                current = nil
            case .mismatch(let reason):
                CompareConnection.putBack(p, into: &primary, tail: tail)
                CompareConnection.putBack(s, into: &secondary, tail: tail)
                sink.requestCheckpoint(key, reason: reason)
                return
            }
        }
    }

    /// C-11. Offsets are updated in place on a partial match.
    static func judge(_ p: inout QueuedPacket, _ s: inout QueuedPacket, gate: UInt32,
                      maxAcks: (primary: UInt32, secondary: UInt32), quirks: CompareQuirks) -> TCPJudgement {
        let pastFrame = quirks.pastFrameReads
        if p.seq == s.seq, p.seqEnd == s.seqEnd {
            let whole = ByteRangeComparison.compare(p.frame.bytes, from: p.headerSize, s.frame.bytes, from: s.headerSize,
                                                    length: p.payloadSize, pastFrame: pastFrame)
            if case .equal = whole { return .both }
            // A differing payload falls through to rule 2 (p ends no later than s), as in QEMU.
        }
        let primaryEndsFirst = !later(p.seqEnd, s.seqEnd)
        let rule: TCPJudgeRule = primaryEndsFirst ? .primaryEndsFirst : .primaryExtends
        if !quirks.unalignedRemainders,
           p.seq &+ UInt32(truncatingIfNeeded: p.offset) != s.seq &+ UInt32(truncatingIfNeeded: s.offset) {
            return .mismatch(.payloadMismatch(mismatch(p, s, rule: rule, detail: .misaligned, length: 0, difference: nil)))
        }
        let remaining = primaryEndsFirst ? p.payloadSize - p.offset : s.payloadSize - s.offset
        let length = quirks.sixteenBitArithmetic ? Int(UInt16(truncatingIfNeeded: remaining)) : remaining
        var primaryStart = p.headerSize + p.offset
        var secondaryStart = s.headerSize + s.offset
        if quirks.sixteenBitArithmetic {
            // QEMU passes both start offsets as 16-bit values.
            primaryStart = Int(UInt16(truncatingIfNeeded: primaryStart))
            secondaryStart = Int(UInt16(truncatingIfNeeded: secondaryStart))
        }
        if length < 0 {
            return .mismatch(.payloadMismatch(mismatch(p, s, rule: rule, detail: .outOfRange, length: 0, difference: nil)))
        }
        switch ByteRangeComparison.compare(p.frame.bytes, from: primaryStart, s.frame.bytes, from: secondaryStart,
                                           length: length, pastFrame: pastFrame) {
        case .differ(let difference):
            return .mismatch(.payloadMismatch(mismatch(p, s, rule: rule, detail: .bytesDiffer, length: length, difference: difference)))
        case .outOfRange:
            return .mismatch(.payloadMismatch(mismatch(p, s, rule: rule, detail: .outOfRange, length: length, difference: nil)))
        case .equal:
            if primaryEndsFirst {
                guard !later(p.ack, gate) else {
                    return .mismatch(.ackGate(AckGateHold(primaryIndex: p.index, secondaryIndex: s.index, primaryAck: p.ack,
                                                          gate: gate, primaryMaxAck: maxAcks.primary, secondaryMaxAck: maxAcks.secondary)))
                }
                s.offset = advance(s.offset, by: length, quirks: quirks)
                return .releasePrimary
            }
            p.offset = advance(p.offset, by: length, quirks: quirks)
            return .dropSecondary
        }
    }

    private static func advance(_ offset: Int, by length: Int, quirks: CompareQuirks) -> Int {
        quirks.sixteenBitArithmetic ? Int(UInt16(truncatingIfNeeded: offset + length)) : offset + length
    }

    private static func mismatch(_ p: QueuedPacket, _ s: QueuedPacket, rule: TCPJudgeRule, detail: TCPMismatch.Detail,
                                 length: Int, difference: ByteDifference?) -> TCPMismatch {
        TCPMismatch(primaryIndex: p.index, secondaryIndex: s.index, rule: rule, detail: detail,
                    primarySeq: p.seq, primarySeqEnd: p.seqEnd, primaryOffset: p.offset,
                    secondarySeq: s.seq, secondarySeqEnd: s.seqEnd, secondaryOffset: s.offset,
                    comparedLength: length, difference: difference)
    }
}
