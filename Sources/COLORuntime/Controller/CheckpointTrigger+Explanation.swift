import Fabric
import Primary

extension CheckpointTrigger {
    /// One sentence saying why the checkpoint happened, from the compare's decision event.
    public var explanation: String {
        switch self {
        case .periodic:
            return "periodic: x-checkpoint-delay elapsed since the last request (K-2)"
        case .delayChanged:
            return "x-checkpoint-delay was changed while COLO ran (K-2)"
        case let .compare(object, request):
            guard let request else { return "\(object) requested a checkpoint" }
            let connection = request.connection.description
            switch request.reason {
            case .payloadMismatch(let mismatch):
                var text = "payload mismatch on \(connection) (\(object), C-11 \(mismatch.rule.rawValue)): primary #\(mismatch.primaryIndex)"
                    + " [seq \(mismatch.primarySeq)..\(mismatch.primarySeqEnd)] vs secondary #\(mismatch.secondaryIndex)"
                    + " [seq \(mismatch.secondarySeq)..\(mismatch.secondarySeqEnd)]"
                if let difference = mismatch.difference, let sequence = mismatch.differingSequence {
                    text += ", first difference at seq \(sequence): \(Self.byte(difference.primaryByte)) vs \(Self.byte(difference.secondaryByte))"
                } else {
                    text += ", \(mismatch.detail.rawValue)"
                }
                return text
            case .ackGate(let hold):
                return "ack gate on \(connection) (\(object), C-11.2): primary #\(hold.primaryIndex) matched secondary #\(hold.secondaryIndex)"
                    + " but acks \(hold.primaryAck), beyond the gate \(hold.gate) (pack \(hold.primaryMaxAck), sack \(hold.secondaryMaxAck))"
            case .noMatch(let mismatch):
                let how: String = switch mismatch.difference {
                case let .lengthDiffers(primary, secondary): "lengths \(primary) vs \(secondary)"
                case .bytesDiffer(let difference): "byte \(difference.primaryFrameOffset): \(Self.byte(difference.primaryByte)) vs \(Self.byte(difference.secondaryByte))"
                }
                return "no match on \(connection) (\(object), C-14): primary #\(mismatch.primaryIndex) equals none of \(mismatch.candidates) secondary packet(s); the oldest, #\(mismatch.firstCandidateIndex), differs in \(how)"
            case .timeout(let timeout):
                return "timeout on \(connection) (\(object), C-19): \(timeout.side) #\(timeout.index) waited \(timeout.ageMs) ms, more than compare_timeout \(timeout.timeoutMs) ms"
            }
        }
    }

    private static func byte(_ value: UInt8?) -> String {
        guard let value else { return "(past the frame)" }
        let hex = String(value, radix: 16)
        return "0x" + (hex.count == 1 ? "0" + hex : hex)
    }
}
