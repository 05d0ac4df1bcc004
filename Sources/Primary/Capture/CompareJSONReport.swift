import Fabric

/// The `--format json` rendering of a capture run: one JSON object per line, in decision order.
///
/// Every object starts with "event" and "time_us"; the fixed keys of each kind come next
/// (release: primary_index, reason; checkpoint_request: reason, connection; drop: side, index,
/// reason), then details. A last line of kind "end" carries the counters.
public enum CompareJSONReport {
    public static func lines(_ result: CaptureCompareResult) -> [String] {
        result.decisions.map(line(for:)) + [endLine(result)]
    }

    /// A decision the scan repeated ends with how often and until when.
    public static func line(for decision: CaptureDecision) -> String {
        let line = line(for: decision.event, at: decision.timeUs)
        guard decision.repeats > 0, case .checkpointRequest(let request) = decision.lastEvent,
              case .timeout(let last) = request.reason else { return line }
        var json = JSONLineWriter()
        json.add("repeats", decision.repeats)
        json.add("repeat_every_us", decision.repeatEveryUs)
        json.add("last_time_us", decision.lastTimeUs)
        json.add("last_age_ms", last.ageMs)
        return String(line.dropLast()) + "," + json.line.dropFirst()
    }

    public static func line(for event: CompareDecision, at timeUs: Int64) -> String {
        var json = JSONLineWriter()
        json.add("event", event.token)
        json.add("time_us", timeUs)
        switch event {
        case .release(let release):
            json.add("primary_index", release.primaryIndex)
            json.add("reason", release.reason.token)
            addReleaseDetails(release.reason, to: &json)
            if let connection = release.connection { json.add("connection", connection.description) }
        case .checkpointRequest(let request):
            json.add("reason", request.reason.token)
            json.add("connection", request.connection.description)
            json.add("delivery", request.delivery.rawValue)
            addRequestDetails(request.reason, to: &json)
        case .flush(let cause):
            json.add("cause", cause.rawValue)
        case .drop(let drop):
            json.add("side", drop.side.rawValue)
            json.add("index", drop.index)
            json.add("reason", drop.reason.token)
            addDropDetails(drop.reason, to: &json)
            if let connection = drop.connection { json.add("connection", connection.description) }
        case .notifyReceived(let message):
            switch message {
            case .proxyInit: json.add("message", "COLO_USERSPACE_PROXY_INIT")
            case .checkpoint: json.add("message", "COLO_CHECKPOINT")
            case .unsupported(let length): json.add("message", "unsupported"); json.add("length", length)
            }
        }
        return json.line
    }

    static func endLine(_ result: CaptureCompareResult) -> String {
        let c = result.counters
        var json = JSONLineWriter()
        json.add("event", "end")
        json.add("time_us", result.endUs)
        json.add("primary_frames", c.primaryFrames)
        json.add("secondary_frames", c.secondaryFrames)
        json.add("released", c.totalReleases)
        json.add("primary_dropped", c.totalPrimaryDrops)
        json.add("secondary_dropped", c.totalSecondaryDrops)
        json.add("checkpoint_requests", c.totalCheckpointRequests)
        json.add("checkpoints", c.checkpoints)
        json.add("primary_queued", c.primaryQueuedAtEnd)
        json.add("secondary_queued", c.secondaryQueuedAtEnd)
        if c.primaryTruncated + c.secondaryTruncated > 0 {
            json.add("primary_truncated", c.primaryTruncated)
            json.add("secondary_truncated", c.secondaryTruncated)
        }
        return json.line
    }

    private static func addReleaseDetails(_ reason: ReleaseReason, to json: inout JSONLineWriter) {
        switch reason {
        case .matched(let index, let how):
            json.add("secondary_index", index)
            json.add("match", how.rawValue)
        case .unparseable(let why):
            json.add("detail", why.token)
        case .retransmission(let seqEnd, let compareSeq):
            json.add("seq_end", seqEnd)
            json.add("compare_seq", compareSeq)
        case .noPayload(let flags):
            json.add("tcp_flags", TCPFlags(rawValue: flags).description)
        case .checkpointFlush, .deletionFlush:
            break
        }
    }

    private static func addDropDetails(_ reason: CompareDropReason, to json: inout JSONLineWriter) {
        switch reason {
        case .queueFull(let length, let limit):
            json.add("queue_length", length)
            json.add("max_queue_size", limit)
        case .compared(let primaryIndex):
            json.add("primary_index", primaryIndex)
        case .retransmission(let seqEnd, let compareSeq):
            json.add("seq_end", seqEnd)
            json.add("compare_seq", compareSeq)
        case .unparseable(let why):
            json.add("detail", why.token)
        case .tableReset, .noPayload, .checkpointFlush, .deletionFlush, .emptyRecord, .writeFailed, .compareDeleted:
            break
        }
    }

    private static func addRequestDetails(_ reason: CheckpointReason, to json: inout JSONLineWriter) {
        switch reason {
        case .payloadMismatch(let m):
            json.add("primary_index", m.primaryIndex)
            json.add("secondary_index", m.secondaryIndex)
            json.add("rule", m.rule.rawValue)
            json.add("detail", m.detail.rawValue)
            json.add("primary_seq", m.primarySeq)
            json.add("primary_seq_end", m.primarySeqEnd)
            json.add("primary_offset", m.primaryOffset)
            json.add("secondary_seq", m.secondarySeq)
            json.add("secondary_seq_end", m.secondarySeqEnd)
            json.add("secondary_offset", m.secondaryOffset)
            json.add("compared_length", m.comparedLength)
            if let d = m.difference {
                if let seq = m.differingSequence { json.add("differing_seq", seq) }
                addDifference(d, to: &json)
            }
        case .ackGate(let hold):
            json.add("primary_index", hold.primaryIndex)
            json.add("secondary_index", hold.secondaryIndex)
            json.add("primary_ack", hold.primaryAck)
            json.add("gate", hold.gate)
            json.add("pack", hold.primaryMaxAck)
            json.add("sack", hold.secondaryMaxAck)
        case .noMatch(let m):
            json.add("primary_index", m.primaryIndex)
            json.add("secondary_index", m.firstCandidateIndex)
            json.add("candidates", m.candidates)
            switch m.difference {
            case .lengthDiffers(let p, let s):
                json.add("primary_length", p)
                json.add("secondary_length", s)
            case .bytesDiffer(let d):
                addDifference(d, to: &json)
            }
        case .timeout(let t):
            json.add("side", t.side.rawValue)
            json.add("index", t.index)
            json.add("age_ms", t.ageMs)
            json.add("timeout_ms", t.timeoutMs)
        }
    }

    private static func addDifference(_ d: ByteDifference, to json: inout JSONLineWriter) {
        json.add("primary_frame_offset", d.primaryFrameOffset)
        json.add("secondary_frame_offset", d.secondaryFrameOffset)
        // null: the comparison ran past that frame into heap memory (C-11).
        json.add("primary_byte", d.primaryByte)
        json.add("secondary_byte", d.secondaryByte)
    }
}
