import Fabric

/// Renders capture-rewrite events for people (text) and programs (JSON, one object per line,
/// keys in a fixed order). Token spellings are documented in docs/rewriter.md.
public enum RewriteReport {
    // MARK: JSON

    public static func jsonLine(_ item: CaptureDecision) -> String {
        var line = JSONLineWriter()
        line.add("event", item.event.token)
        line.add("time_us", item.timeMicroseconds)
        if let index = item.frameIndex { line.add("index", index) }
        switch item.event {
        case .forward(let record):
            line.add("direction", record.side.token)
            line.add("handling", record.handling.rawValue)
            line.add("connection", record.key?.description)
            line.add("reason", record.unchangedReason?.token)
            line.add("detail", record.unchangedReason?.detail)
            line.add("rewritten", raw: record.rewrite.map(json))
            line.add("sack", array: record.sackRewrites.map(json))
            line.add("checksum", raw: record.checksum.map(json))
        case .offsetLearned(let key, let from, let to, let rule):
            line.add("connection", key.description)
            line.add("rule", rule.token)
            line.add("from", from)
            line.add("to", to)
        case .isnRecorded(let key, let isn, let rule):
            line.add("connection", key.description)
            line.add("rule", rule.token)
            line.add("isn", isn)
        case .stateChanged(let key, let from, let to, let rule):
            line.add("connection", key.description)
            line.add("rule", rule.token)
            line.add("from", from.token)
            line.add("to", to.token)
        case .finAckSeqRecorded(let key, let value):
            line.add("connection", key.description)
            line.add("rule", RewriterRule.rw11_4.token)
            line.add("value", value)
        case .entryRemoved(let key, let rule):
            line.add("connection", key.description)
            line.add("rule", rule.token)
        case .tableReset(let dropped):
            line.add("rule", RewriterRule.p5.token)
            line.add("dropped", dropped)
        case .checkpoint(let entries, let offsetsReset, let pendingCleared):
            line.add("entries", entries)
            line.add("offsets_reset", offsetsReset)
            line.add("pending_isns_cleared", pendingCleared)
        case .failover(let entered, let nonZero):
            line.add("entered", entered)
            line.add("nonzero_offsets", nonZero)
        }
        return line.line
    }

    static func json(_ rewrite: FieldRewrite) -> String {
        var object = JSONLineWriter()
        object.add("field", rewrite.field.rawValue)
        object.add("from", rewrite.from)
        object.add("to", rewrite.to)
        object.add("offset", rewrite.offset)
        return object.line
    }

    static func json(_ sack: SACKRewrite) -> String {
        "{\"from\":[\(sack.from.left),\(sack.from.right)],\"to\":[\(sack.to.left),\(sack.to.right)]}"
    }

    static func json(_ checksum: ChecksumOutcome) -> String {
        var object = JSONLineWriter()
        object.add("status", checksum.token)
        switch checksum {
        case .written(let field, let previous, let value, _, let past):
            object.add("at", field)
            object.add("from", previous)
            object.add("to", value)
            object.add("past_frame", past)
        case .skipped(let why):
            object.add("why", why.rawValue)
        }
        return object.line
    }

    // MARK: Text

    /// Human-readable lines: one heading per frame, its explanations indented below it.
    public static func textLines(_ result: CaptureRewriteResult, input: [TimedFrame]) -> [String] {
        var lines: [String] = []
        var sides = [RewriterSide](repeating: .netdev, count: input.count)
        for item in result.events {
            if let index = item.frameIndex, index < sides.count, case .forward(let record) = item.event { sides[index] = record.side }
        }
        var lastIndex: Int?
        for item in result.events {
            if let index = item.frameIndex {
                if index != lastIndex, index < input.count {
                    lines.append("#\(index) \(seconds(item.timeMicroseconds)) \(sides[index].token) \(PacketSummary.describe(input[index].frame))")
                    lastIndex = index
                }
                lines.append("    " + describe(item.event))
            } else {
                lines.append("@ \(seconds(item.timeMicroseconds)) " + describe(item.event))
                lastIndex = nil
            }
        }
        let counters = result.counters
        lines.append(
            "summary: \(counters.framesReceived) frames, \(counters.stolen) handled, \(counters.rewritten) rewritten, "
                + "\(counters.passedNotTCP + counters.passedUnparseable + counters.passedFailoverUntracked) passed through, "
                + "\(counters.entriesRemoved) entries removed, \(result.finalConnections.count) left in the table")
        return lines
    }

    public static func describe(_ event: RewriterDecision) -> String {
        switch event {
        case .forward(let record):
            var text = record.handling == .passed ? "passed through unchanged" : "stolen, copy"
            if let reason = record.unchangedReason {
                text += (record.handling == .passed ? ": " : " unchanged: ") + describe(reason)
            }
            if let rewrite = record.rewrite {
                text += " rewritten: \(rewrite.field.rawValue) \(rewrite.from) -> \(rewrite.to) (offset \(rewrite.offset))"
            }
            for sack in record.sackRewrites {
                text += ", SACK \(sack.from.left)-\(sack.from.right) -> \(sack.to.left)-\(sack.to.right)"
            }
            if let checksum = record.checksum { text += ", " + describe(checksum) }
            return text
        case .offsetLearned(_, let from, let to, let rule):
            return "offset \(from) -> \(to) (\(rule.token))"
        case .isnRecorded(_, let isn, let rule):
            return "guest ISN \(isn) recorded (\(rule.token))"
        case .stateChanged(_, let from, let to, let rule):
            return "state \(from.token) -> \(to.token) (\(rule.token))"
        case .finAckSeqRecorded(_, let value):
            return "fin_ack_seq := \(value) (RW-11.4)"
        case .entryRemoved(let key, let rule):
            return "entry \(key) removed (\(rule.token))"
        case .tableReset(let dropped):
            return "table held too many entries: cleared \(dropped) (P-5)"
        case .checkpoint(let entries, let reset, let pending):
            return "checkpoint: \(entries) entries, \(reset) offsets reset to 0"
                + (pending > 0 ? ", \(pending) pending ISNs dropped" : "")
        case .failover(let entered, let nonZero):
            return entered
                ? "failover: failover mode entered (untracked connections now pass untouched)"
                : "failover: refused, \(nonZero) connections have a non-zero offset; full processing continues"
        }
    }

    static func describe(_ reason: UnchangedReason) -> String {
        switch reason {
        case .unparseable(let why): "not parseable (\(why))"
        case .notTCP(let proto): "not TCP (\(IPProtocolNumber.name(proto)))"
        case .failoverUntracked: "failover mode, connection not tracked"
        case .notAckClass: "SYN set or ACK clear, never rewritten"
        case .offsetZero: "offset is zero"
        }
    }

    static func describe(_ checksum: ChecksumOutcome) -> String {
        switch checksum {
        case .written(let field, let previous, let value, let misplaced, let past):
            "checksum \(hex(previous)) -> \(hex(value)) at byte \(field)"
                + (misplaced ? " (misplaced: IP options, RW-13 quirk)" : "")
                + (past ? " (summed past the frame end)" : "")
        case .skipped(let why):
            "checksum not recomputed (\(why.rawValue))"
        }
    }

    static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 4 - digits.count) + digits
    }

    static func seconds(_ microseconds: Int64) -> String {
        let sign = microseconds < 0 ? "-" : "+"
        let magnitude = microseconds.magnitude
        let fraction = String(magnitude % 1_000_000)
        return "\(sign)\(magnitude / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }
}
