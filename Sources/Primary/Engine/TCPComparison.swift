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
        if quirks[.unsignedAckGate] { return min(primaryMaxAck, secondaryMaxAck) }
        return later(primaryMaxAck, secondaryMaxAck) ? secondaryMaxAck : primaryMaxAck
    }

    /// C-10, step by step as QEMU runs it.
    ///
    /// QEMU pops a primary and a secondary, and pushes back to the same end whatever it does
    /// not consume (its `goto`s keep a primary across rounds). Nothing else touches the queues
    /// meanwhile, so the packets are judged where they lie, at the consuming end, and only
    /// those consumed are removed: the same queues and decisions without moving packets out
    /// and back.
    mutating func compareTCP(quirks: CompareQuirks, mutant: EngineMutant?, sink: inout DecisionSink) {
        let gate = ackGate(quirks)
        let tail = consumesFromTail(quirks)
        while !primary.isEmpty, !secondary.isEmpty {
            let pAt = tail ? primary.count - 1 : 0
            let sAt = tail ? secondary.count - 1 : 0
            // The held primary is released when it carries no payload or was compared before.
            var holdsPrimary = true
            let pSeqEnd = primary[pAt].seqEnd
            if primary[pAt].seq == pSeqEnd {
                let p = CompareConnection.remove(from: &primary, at: pAt)
                let flags = p.flags
                sink.release(p, connection: key, reason: .noPayload(flags: flags))
                holdsPrimary = false
            } else if hasCompareSeq(quirks), !later(pSeqEnd, compareSeq) {
                let p = CompareConnection.remove(from: &primary, at: pAt)
                sink.release(p, connection: key, reason: .retransmission(seqEnd: pSeqEnd, compareSeq: compareSeq))
                holdsPrimary = false
            }
            let sSeqEnd = secondary[sAt].seqEnd
            if secondary[sAt].seq == sSeqEnd {
                let index = CompareConnection.remove(from: &secondary, at: sAt).index
                sink.drop(.secondary, index: index, connection: key, reason: .noPayload)
                continue
            }
            if hasCompareSeq(quirks), !later(sSeqEnd, compareSeq) {
                let index = CompareConnection.remove(from: &secondary, at: sAt).index
                sink.drop(.secondary, index: index, connection: key, reason: .retransmission(seqEnd: sSeqEnd, compareSeq: compareSeq))
                continue
            }
            // Without a primary the secondary stays; the next round takes the next primary.
            guard holdsPrimary else { continue }
            switch CompareConnection.judge(&primary[pAt], &secondary[sAt], gate: gate,
                                           maxAcks: (primaryMaxAck, secondaryMaxAck), quirks: quirks, mutant: mutant) {
            case .releasePrimary:
                let p = CompareConnection.remove(from: &primary, at: pAt)
                setCompareSeq(p.seqEnd)
                sink.release(p, connection: key, reason: .matched(secondaryIndex: secondary[sAt].index, how: .coveredBySecondary))
            case .dropSecondary:
                let s = CompareConnection.remove(from: &secondary, at: sAt)
                setCompareSeq(s.seqEnd)
                sink.drop(.secondary, index: s.index, connection: key, reason: .compared(primaryIndex: primary[pAt].index))
            case .both:
                let p = CompareConnection.remove(from: &primary, at: pAt)
                let s = CompareConnection.remove(from: &secondary, at: sAt)
                setCompareSeq(p.seqEnd)
                let primaryIndex = p.index
                sink.release(p, connection: key, reason: .matched(secondaryIndex: s.index, how: .sameSegment))
                sink.drop(.secondary, index: s.index, connection: key, reason: .compared(primaryIndex: primaryIndex))
            case .mismatch(let reason):
                sink.requestCheckpoint(key, reason: reason)
                return
            }
        }
    }

    /// C-11. Offsets are updated in place on a partial match.
    static func judge(_ p: inout QueuedPacket, _ s: inout QueuedPacket, gate: UInt32,
                      maxAcks: (primary: UInt32, secondary: UInt32), quirks: CompareQuirks,
                      mutant: EngineMutant?) -> TCPJudgement {
        let pastFrame = quirks.pastFrameReads
        let mutantShift = mutant == .payloadOffsetOffByOne ? 1 : 0
        if p.seq == s.seq, p.seqEnd == s.seqEnd {
            let whole = ByteRangeComparison.compare(p.frame.bytes, from: p.headerSize + mutantShift, s.frame.bytes, from: s.headerSize,
                                                    length: p.payloadSize, pastFrame: pastFrame)
            if case .equal = whole { return .both }
            // A differing payload falls through to rule 2 (p ends no later than s), as in QEMU.
        }
        let primaryEndsFirst = !later(p.seqEnd, s.seqEnd)
        let rule: TCPJudgeRule = primaryEndsFirst ? .primaryEndsFirst : .primaryExtends
        if !quirks[.unalignedRemainders],
           p.seq &+ UInt32(truncatingIfNeeded: p.offset) != s.seq &+ UInt32(truncatingIfNeeded: s.offset) {
            return .mismatch(.payloadMismatch(mismatch(p, s, rule: rule, detail: .misaligned, length: 0, difference: nil)))
        }
        let remaining = primaryEndsFirst ? p.payloadSize - p.offset : s.payloadSize - s.offset
        let length = quirks[.sixteenBitArithmetic] ? Int(UInt16(truncatingIfNeeded: remaining)) : remaining
        var primaryStart = p.headerSize + p.offset + mutantShift
        var secondaryStart = s.headerSize + s.offset
        if quirks[.sixteenBitArithmetic] {
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
                guard !later(p.ack, gate) || mutant == .ackGateIgnored else {
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
        quirks[.sixteenBitArithmetic] ? Int(UInt16(truncatingIfNeeded: offset + length)) : offset + length
    }

    private static func mismatch(_ p: QueuedPacket, _ s: QueuedPacket, rule: TCPJudgeRule, detail: TCPMismatch.Detail,
                                 length: Int, difference: ByteDifference?) -> TCPMismatch {
        TCPMismatch(primaryIndex: p.index, secondaryIndex: s.index, rule: rule, detail: detail,
                    primarySeq: p.seq, primarySeqEnd: p.seqEnd, primaryOffset: p.offset,
                    secondarySeq: s.seq, secondarySeqEnd: s.seqEnd, secondaryOffset: s.offset,
                    comparedLength: length, difference: difference)
    }
}
