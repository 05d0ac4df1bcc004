/// `CompareQuirks` packed into one word, for the engine's internal calls.
///
/// The public struct holds eleven separate fields; every call that took it had them gathered
/// into registers and scattered again (~60 instructions per call on the per-packet path). The
/// engine converts the profile's quirks once and passes this instead; each switch reads as
/// a bit test under the same name.
struct QuirkSet: Sendable, Hashable {
    private let bits: UInt16

    init(_ quirks: CompareQuirks) {
        var bits: UInt16 = 0
        let flags = [quirks.nonTCPNewestFirst, quirks.outputNewestFirst, quirks.ascendingTCPQueueLayout,
                     quirks.lastAckNotMaximum, quirks.unsignedAckGate, quirks.unalignedRemainders,
                     quirks.payloadFromFrameLength, quirks.sixteenBitArithmetic, quirks.zeroCompareSeqMeansUnset,
                     quirks.untaggedTransportOffset]
        for (bit, on) in flags.enumerated() where on { bits |= 1 << bit }
        let reads: UInt16 = switch quirks.pastFrameReads {
        case .heapGarbage: 0
        case .freshHeap: 1
        case .boundsChecked: 2
        }
        let mutant: UInt16 = switch quirks.mutant {
        case .ackGateIgnored: 1
        case .payloadOffsetOffByOne: 2
        case .flushDropsPrimary: 3
        default: 0
        }
        self.bits = bits | reads << 10 | mutant << 12
    }

    @inline(__always) private func flag(_ bit: UInt16) -> Bool { bits & 1 << bit != 0 }

    var nonTCPNewestFirst: Bool { flag(0) }
    var outputNewestFirst: Bool { flag(1) }
    var ascendingTCPQueueLayout: Bool { flag(2) }
    var lastAckNotMaximum: Bool { flag(3) }
    var unsignedAckGate: Bool { flag(4) }
    var unalignedRemainders: Bool { flag(5) }
    var payloadFromFrameLength: Bool { flag(6) }
    var sixteenBitArithmetic: Bool { flag(7) }
    var zeroCompareSeqMeansUnset: Bool { flag(8) }
    var untaggedTransportOffset: Bool { flag(9) }
    var mutantAckGateIgnored: Bool { bits >> 12 & 3 == 1 }
    var mutantPayloadOffsetOffByOne: Bool { bits >> 12 & 3 == 2 }
    var mutantFlushDropsPrimary: Bool { bits >> 12 & 3 == 3 }
    var pastFrameReads: PastFrameReads {
        switch bits >> 10 & 3 {
        case 0: .heapGarbage
        case 1: .freshHeap
        default: .boundsChecked
        }
    }
}
