import Fabric
import Primary
import Secondary

/// The run's trace hash: a running 64-bit digest that mixes one whole word per step (a
/// multiply by an odd constant and a shift), process-independent like FNV-1a and several times
/// cheaper per word, because it runs for every hop.
public struct TraceDigest: Sendable, Hashable {
    public private(set) var value: UInt64 = FNV1a64.offsetBasis

    public init() {}

    @inline(__always)
    public mutating func combine(_ word: UInt64) {
        let mixed = (value ^ word) &* 0x9E37_79B9_7F4A_7C15
        value = mixed ^ (mixed >> 29)
    }
}

/// Compact digests of log entries for the trace hash. They cover each event's kind, the objects
/// and numbers it names, and a frame's length plus a few of its bytes: enough to tell two runs
/// apart, cheap enough for every hop.
extension TraceDigest {
    mutating func fold(_ frame: Frame) {
        let count = frame.bytes.count
        combine(UInt64(count))
        guard count > 0 else { return }
        frame.bytes.withUnsafeBytes { raw in
            var word: UInt64 = UInt64(raw[count / 2]) | UInt64(raw[count - 1]) << 8
            if count >= 46 {
                // An untagged IPv4 frame's TCP sequence and acknowledgement, or UDP ports and payload.
                word |= UInt64(raw.loadUnaligned(fromByteOffset: 38, as: UInt32.self)) << 16
                combine(UInt64(raw.loadUnaligned(fromByteOffset: 42, as: UInt32.self)))
            }
            combine(word)
        }
    }

    /// Object names are short ids ("redire1", "hn0"): their length and first sixteen bytes
    /// identify them, read straight from the string's storage without a multiply per byte.
    mutating func fold(text: String) {
        var words: (UInt64, UInt64) = (0, 0)
        let count = text.utf8.count
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            withUnsafeMutableBytes(of: &words) { raw in
                raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[0..<min(16, bytes.count)]))
            }
        }
        if copied == nil {
            withUnsafeMutableBytes(of: &words) { raw in
                for (index, byte) in text.utf8.prefix(16).enumerated() { raw[index] = byte }
            }
        }
        combine(UInt64(count) ^ words.0)
        combine(words.1)
    }

    mutating func fold(_ event: NetHop) {
        switch event {
        case let .sendStarted(walk, sender, frame):
            combine(1); combine(UInt64(walk.number)); fold(text: sender); fold(frame)
        case let .injectionStarted(walk, filter, sender, direction, frame):
            combine(2); combine(UInt64(walk.number)); fold(text: filter); fold(text: sender ?? "")
            combine(direction.map { $0 == .tx ? 1 : 2 } ?? 0); fold(frame)
        case let .filterSkipped(walk, filter, direction, _):
            combine(3); combine(UInt64(walk.number)); fold(text: filter); combine(direction == .tx ? 1 : 2)
        case let .filterPassed(walk, filter, direction):
            combine(4); combine(UInt64(walk.number)); fold(text: filter); combine(direction == .tx ? 1 : 2)
        case let .filterCopied(walk, filter, direction, output):
            combine(5); combine(UInt64(walk.number)); fold(text: filter); combine(direction == .tx ? 1 : 2); fold(output)
        case let .filterStole(walk, filter, direction, sendResult, output):
            combine(6); combine(UInt64(walk.number)); fold(text: filter); combine(direction == .tx ? 1 : 2)
            combine(UInt64(bitPattern: Int64(sendResult))); fold(output)
        case let .queued(walk, client, depth, reason):
            combine(7); combine(UInt64(walk.number)); fold(text: client); combine(UInt64(depth)); fold(text: reason.rawValue)
        case let .delivered(walk, client, fromQueue):
            combine(8); combine(UInt64(walk.number)); fold(text: client); combine(fromQueue ? 1 : 0)
        case let .dropped(walk, reason, client):
            combine(9); combine(UInt64(walk.number)); fold(text: reason.rawValue); fold(text: client ?? "")
        case let .sendCompleted(walk, sender):
            combine(10); combine(UInt64(walk.number)); fold(text: sender)
        case let .vmStateChanged(running):
            combine(11); combine(running ? 1 : 0)
        case let .filterStatusChanged(filter, status):
            combine(12); fold(text: filter); combine(status == .on ? 1 : 0)
        case let .indevReading(filter, attached, cause):
            combine(13); fold(text: filter); combine(attached ? 1 : 0); fold(text: cause.rawValue)
        case let .indevFrameRefused(filter, bytes):
            combine(14); fold(text: filter); combine(UInt64(bytes))
        case let .writeBlocked(walk, filter, direction, destination):
            combine(15); combine(UInt64(walk.number)); fold(text: filter); combine(direction == .tx ? 1 : 2); fold(text: destination)
        case let .walkResumed(walk, filter):
            combine(16); combine(UInt64(walk.number)); fold(text: filter)
        }
    }

    private mutating func fold(_ output: FilterOutput) {
        switch output.result {
        case .written(let bytes): combine(1); combine(UInt64(bytes))
        case .held: combine(2)
        case .failed(let code, _): combine(3); combine(UInt64(bitPattern: Int64(code)))
        }
    }

    mutating func fold(_ event: CompareDecision) {
        fold(text: event.token)
        switch event {
        case .release(let release):
            combine(UInt64(release.primaryIndex)); fold(text: release.reason.token)
        case .drop(let drop):
            combine(drop.side == .primary ? 1 : 2); combine(UInt64(drop.index)); fold(text: drop.reason.token)
        case .checkpointRequest(let request):
            fold(text: request.reason.token); fold(text: request.connection.description)
        case .flush(let cause):
            fold(text: cause.rawValue)
        case .notifyReceived:
            break
        }
    }

    mutating func fold(_ event: RewriterDecision) {
        fold(text: event.token)
        switch event {
        case .forward(let record):
            fold(text: record.handling.rawValue); fold(text: record.side.token)
            if let rewrite = record.rewrite {
                fold(text: rewrite.field.rawValue); combine(UInt64(rewrite.from)); combine(UInt64(rewrite.to))
            }
        case let .offsetLearned(_, from, to, rule):
            combine(UInt64(from)); combine(UInt64(to)); fold(text: rule.token)
        case let .isnRecorded(_, isn, rule):
            combine(UInt64(isn)); fold(text: rule.token)
        case let .stateChanged(_, from, to, rule):
            fold(text: from.token); fold(text: to.token); fold(text: rule.token)
        case let .finAckSeqRecorded(_, value):
            combine(UInt64(value))
        case let .entryRemoved(_, rule):
            fold(text: rule.token)
        case let .tableReset(dropped):
            combine(UInt64(dropped))
        case let .checkpoint(entries, reset, cleared):
            combine(UInt64(entries)); combine(UInt64(reset)); combine(UInt64(cleared))
        case let .failover(entered, nonZero):
            combine(entered ? 1 : 0); combine(UInt64(nonZero))
        }
    }

    mutating func fold(_ event: RewriterQueueStep) {
        fold(text: event.token)
        switch event {
        case let .held(sender, depth): fold(text: sender.token); combine(UInt64(depth))
        case let .dropped(sender, total): fold(text: sender.token); combine(UInt64(total))
        case let .released(count, cause): combine(UInt64(count)); fold(text: cause.rawValue)
        }
    }

    mutating func fold(_ event: ControllerStep) {
        fold(text: event.token)
        switch event {
        case .coloStarted(let delay): combine(UInt64(bitPattern: delay.nanoseconds))
        case let .checkpointRequested(trigger, coalesced): fold(text: trigger.token); combine(coalesced ? 1 : 0)
        case let .checkpointStarted(number, trigger): combine(UInt64(number)); fold(text: trigger.token)
        case .secondaryStopped(let number), .stateReceived(let number), .secondaryStarted(let number):
            combine(UInt64(number))
        case let .primaryStopped(number, bytes, transfer):
            combine(UInt64(number)); combine(UInt64(bytes)); combine(UInt64(bitPattern: transfer.nanoseconds))
        case let .comparesFlushed(number, released, dropped):
            combine(UInt64(number)); combine(UInt64(released)); combine(UInt64(dropped))
        case let .secondaryLoaded(number, equal): combine(UInt64(number)); combine(equal ? 1 : 0)
        case let .primaryStarted(number, pause): combine(UInt64(number)); combine(UInt64(bitPattern: pause.nanoseconds))
        case let .checkpointAborted(number, reason): combine(UInt64(number)); fold(text: reason)
        case .hostLost(let role): fold(text: role.rawValue)
        case let .failover(role, detail): fold(text: role.rawValue); fold(text: detail)
        case .teardown(let step), .coloExited(let step), .watchdog(let step), .chardevReconnected(let step): fold(text: step)
        case .timeline(let action): fold(text: action.token)
        }
    }

    mutating func fold(_ event: LanHop) {
        fold(text: event.token)
        switch event {
        case .clientSent(let bytes), .arrivedAtClient(let bytes): combine(UInt64(bytes))
        case let .tapTransmitted(role, bytes), let .arrivedAtTap(role, bytes): fold(text: role.rawValue); combine(UInt64(bytes))
        case let .dropped(reason, bytes): fold(text: reason.rawValue); combine(UInt64(bytes))
        case .activeTapChanged(let role): fold(text: role?.rawValue ?? "")
        }
    }
}
