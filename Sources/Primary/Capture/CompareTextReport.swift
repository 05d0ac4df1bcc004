import Fabric

/// The `--format text` rendering of a capture run: the same decisions as the JSON, for a
/// person, with the bytes around each first difference shown in hex.
public enum CompareTextReport {
    public static func lines(_ result: CaptureCompareResult, primary: [CapturedFrame], secondary: [CapturedFrame],
                             options: CaptureCompareOptions) -> [String] {
        var out = ["profile \(options.profile.name), compare_timeout \(options.compareTimeoutMs) ms, "
                   + "expired_scan_cycle \(options.expiredScanCycleMs) ms, max_queue_size \(options.maxQueueSize); "
                   + "times in seconds after the earliest frame"]
        for decision in result.decisions {
            out += describe(decision.event, at: decision.timeUs, primary: primary, secondary: secondary)
            if decision.repeats > 0, case .checkpointRequest(let request) = decision.lastEvent, case .timeout(let last) = request.reason {
                out.append(indent + "repeated by every scan (\(decision.repeatEveryUs / 1000) ms) \(decision.repeats) more time(s), "
                           + "the last at \(time(decision.lastTimeUs).trimmingLeadingSpaces) s after waiting \(last.ageMs) ms")
            }
        }
        out.append(summary(result))
        return out
    }

    static func time(_ us: Int64) -> String {
        let sign = us < 0 ? "-" : ""
        let magnitude = us.magnitude
        let fraction = String(magnitude % 1_000_000)
        let text = "\(sign)\(magnitude / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
        return String(repeating: " ", count: max(0, 11 - text.count)) + text
    }

    static let indent = String(repeating: " ", count: 13)

    /// The lines of one decision. The hex context of a first difference needs the frames; a host
    /// that keeps none (the socket daemon) passes empty arrays and gets the lines without it.
    public static func describe(_ event: CompareDecision, at timeUs: Int64, primary: [CapturedFrame], secondary: [CapturedFrame]) -> [String] {
        let lines = describe(event, primary: primary, secondary: secondary)
        return lines.enumerated().map { ($0.offset == 0 ? time(timeUs) + "  " : indent) + $0.element }
    }

    /// The same lines without the time column: the decision, then its details.
    public static func describe(_ event: CompareDecision, primary: [CapturedFrame] = [], secondary: [CapturedFrame] = []) -> [String] {
        switch event {
        case .release(let r):
            return ["release   primary #\(r.primaryIndex)  \(releaseText(r.reason))" + connectionSuffix(r.connection)]
        case .drop(let d):
            return ["drop      \(d.side.rawValue) #\(d.index)  \(dropText(d.reason))" + connectionSuffix(d.connection)]
        case .flush(let cause):
            return ["CHECKPOINT (\(cause.rawValue)): queued primaries released, secondaries dropped"]
        case .notifyReceived(let message):
            return ["notify_dev message \(message)"]
        case .checkpointRequest(let request):
            return ["CHECKPOINT REQUEST (\(request.reason.token)) on \(request.connection)"]
                + requestDetails(request.reason, primary: primary, secondary: secondary)
        }
    }

    static func connectionSuffix(_ key: ConnectionKey?) -> String {
        key.map { "  [\($0)]" } ?? ""
    }

    static func releaseText(_ reason: ReleaseReason) -> String {
        switch reason {
        case .matched(let index, let how): "matched secondary #\(index) (\(how.rawValue))"
        case .unparseable(let why): "unparseable, forwarded uncompared: \(why)"
        case .retransmission(let end, let seq): "retransmission: data ends at \(end), compare_seq \(seq)"
        case .noPayload(let flags): "no payload (flags \(TCPFlags(rawValue: flags))), released uncompared"
        case .checkpointFlush: "flushed by checkpoint"
        case .deletionFlush: "flushed by deletion"
        }
    }

    static func dropText(_ reason: CompareDropReason) -> String {
        switch reason {
        case .queueFull(let length, let limit): "queue full (\(length) queued, max_queue_size \(limit))"
        case .tableReset: "connection table reset"
        case .compared(let index): "consumed by comparison with primary #\(index)"
        case .noPayload: "no payload"
        case .retransmission(let end, let seq): "retransmission: data ends at \(end), compare_seq \(seq)"
        case .unparseable(let why): "unparseable: \(why)"
        case .checkpointFlush: "flushed by checkpoint"
        case .deletionFlush: "flushed by deletion"
        case .emptyRecord: "zero-length record"
        case .writeFailed: "write on outdev failed"
        case .compareDeleted: "compare deleted"
        }
    }

    static func requestDetails(_ reason: CheckpointReason, primary: [CapturedFrame], secondary: [CapturedFrame]) -> [String] {
        switch reason {
        case .payloadMismatch(let m):
            var lines = ["primary #\(m.primaryIndex) seq \(m.primarySeq)..\(m.primarySeqEnd) (+\(m.primaryOffset) matched) vs "
                         + "secondary #\(m.secondaryIndex) seq \(m.secondarySeq)..\(m.secondarySeqEnd) (+\(m.secondaryOffset)), "
                         + "rule \(m.rule.rawValue): \(m.detail.rawValue)"]
            if let d = m.difference {
                let at = m.differingSequence.map { "seq \($0), " } ?? ""
                lines.append("first difference at \(at)byte \(d.index) of \(m.comparedLength) compared: "
                             + "primary \(hexByte(d.primaryByte)), secondary \(hexByte(d.secondaryByte))")
                lines += hexContext(d, primaryIndex: m.primaryIndex, secondaryIndex: m.secondaryIndex, primary: primary, secondary: secondary)
            }
            return lines
        case .ackGate(let h):
            return ["primary #\(h.primaryIndex) matches secondary #\(h.secondaryIndex) but acks \(h.primaryAck), "
                    + "beyond the gate \(h.gate) = min(pack \(h.primaryMaxAck), sack \(h.secondaryMaxAck))"]
        case .noMatch(let m):
            var lines = ["primary #\(m.primaryIndex) equals none of \(m.candidates) queued secondary packet(s); "
                         + "against the oldest, secondary #\(m.firstCandidateIndex):"]
            switch m.difference {
            case .lengthDiffers(let p, let s):
                lines.append("frame lengths differ: primary \(p), secondary \(s)")
            case .bytesDiffer(let d):
                lines.append("first difference at frame byte \(d.primaryFrameOffset): primary \(hexByte(d.primaryByte)), "
                             + "secondary \(hexByte(d.secondaryByte))")
                lines += hexContext(d, primaryIndex: m.primaryIndex, secondaryIndex: m.firstCandidateIndex,
                                    primary: primary, secondary: secondary)
            }
            return lines
        case .timeout(let t):
            return ["\(t.side.rawValue) #\(t.index) has waited \(t.ageMs) ms (> compare_timeout \(t.timeoutMs) ms)"]
        }
    }

    static func hexByte(_ byte: UInt8?) -> String {
        guard let byte else { return "(past the end of the frame)" }
        let hex = String(byte, radix: 16)
        let printable = (0x20..<0x7f).contains(byte) ? " '\(Character(Unicode.Scalar(byte)))'" : ""
        return "0x" + (hex.count == 1 ? "0" : "") + hex + printable
    }

    /// Eight bytes either side of the first difference in each frame; the differing byte in
    /// brackets, bytes past the frame as "..".
    static func hexContext(_ d: ByteDifference, primaryIndex: Int, secondaryIndex: Int,
                           primary: [CapturedFrame], secondary: [CapturedFrame]) -> [String] {
        func row(_ label: String, _ frame: Frame?, _ center: Int) -> String {
            var cells: [String] = []
            for offset in (center - 8)...(center + 8) {
                var cell = ".."
                if let bytes = frame?.bytes, offset >= 0, offset < bytes.count {
                    let hex = String(bytes[offset], radix: 16)
                    cell = (hex.count == 1 ? "0" : "") + hex
                }
                cells.append(offset == center ? "[\(cell)]" : cell)
            }
            return "\(label) @\(center): " + cells.joined(separator: " ")
        }
        let p = primary.indices.contains(primaryIndex) ? primary[primaryIndex].frame : nil
        let s = secondary.indices.contains(secondaryIndex) ? secondary[secondaryIndex].frame : nil
        if p == nil && s == nil { return [] }
        return [row("primary   #\(primaryIndex)", p, d.primaryFrameOffset),
                row("secondary #\(secondaryIndex)", s, d.secondaryFrameOffset)]
    }

    static func summary(_ result: CaptureCompareResult) -> String {
        let c = result.counters
        func list(_ counts: [CaptureCompareCounters.Count]) -> String {
            counts.isEmpty ? "" : " (" + counts.map { "\($0.token) \($0.count)" }.joined(separator: ", ") + ")"
        }
        return "summary: \(c.primaryFrames) primary and \(c.secondaryFrames) secondary frames; "
            + "released \(c.totalReleases)\(list(c.releases)); "
            + "dropped primary \(c.totalPrimaryDrops)\(list(c.primaryDrops)), secondary \(c.totalSecondaryDrops)\(list(c.secondaryDrops)); "
            + "checkpoint requests \(c.totalCheckpointRequests)\(list(c.checkpointRequests)); checkpoints \(c.checkpoints); "
            + "still queued at \(time(result.endUs).trimmingLeadingSpaces) s: \(c.primaryQueuedAtEnd) primary, \(c.secondaryQueuedAtEnd) secondary"
            + (c.primaryTruncated + c.secondaryTruncated > 0
               ? "; cut short by the capture: \(c.primaryTruncated) primary, \(c.secondaryTruncated) secondary (compared as captured)" : "")
    }
}

extension String {
    fileprivate var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}
