import Fabric
import Primary

/// What a counters report shows besides the totals: the compare's state right now.
struct CompareSnapshot {
    var compare: String
    var timeUs: Int64
    var queuedPrimary: Int
    var queuedSecondary: Int
    var pendingOutput: Int
}

extension ServeCounters {
    /// Human-readable lines, one topic each, prefixed with the compare id.
    func textLines(_ snapshot: CompareSnapshot) -> [String] {
        let p = "\(snapshot.compare):"
        let seconds = Double(snapshot.timeUs) / 1e6
        return [
            "\(p) counters after \(String(format3: seconds)) s",
            "\(p) records in: primary \(primaryRecords), secondary \(secondaryRecords), notify_dev \(notifyRecords); framing errors \(framingErrors)",
            "\(p) pairs \(pairs); released \(released)\(releases.text)",
            "\(p) dropped primary \(primaryDropped)\(primaryDrops.text), secondary \(secondaryDropped)\(secondaryDrops.text)",
            "\(p) checkpoint requests \(checkpointRequestTotal)\(checkpointRequests.text), \(unheardCheckpointRequests) with no listener; checkpoints \(checkpoints)\(flushes.text)",
            "\(p) output: \(recordsWritten) records written to outdev, \(notifyMessagesWritten) to notify_dev, \(writeStalls) stalls, \(writeFailures) write failures; "
                + "queued now: \(snapshot.queuedPrimary) primary, \(snapshot.queuedSecondary) secondary, \(snapshot.pendingOutput) output",
        ]
    }

    /// One JSON object (`"event":"counters"`), keys in a fixed order, reasons in slot order.
    func jsonLine(_ snapshot: CompareSnapshot) -> String {
        func object(_ counts: ReasonCounts) -> JSONLineWriter {
            var json = JSONLineWriter()
            for item in counts.nonZero { json.add(item.token, item.count) }
            return json
        }
        var json = JSONLineWriter()
        json.add("event", "counters")
        json.add("compare", snapshot.compare)
        json.add("time_us", snapshot.timeUs)
        json.add("primary_records", primaryRecords)
        json.add("secondary_records", secondaryRecords)
        json.add("notify_records", notifyRecords)
        json.add("framing_errors", framingErrors)
        json.add("pairs", pairs)
        json.add("released", object: object(releases).addingTotal(released))
        json.add("primary_dropped", object: object(primaryDrops).addingTotal(primaryDropped))
        json.add("secondary_dropped", object: object(secondaryDrops).addingTotal(secondaryDropped))
        json.add("checkpoint_requests", object: object(checkpointRequests).addingTotal(checkpointRequestTotal))
        json.add("unheard_checkpoint_requests", unheardCheckpointRequests)
        json.add("checkpoints", object: object(flushes).addingTotal(checkpoints))
        json.add("records_written", recordsWritten)
        json.add("notify_messages_written", notifyMessagesWritten)
        json.add("write_stalls", writeStalls)
        json.add("write_failures", writeFailures)
        json.add("primary_queued", snapshot.queuedPrimary)
        json.add("secondary_queued", snapshot.queuedSecondary)
        json.add("output_pending", snapshot.pendingOutput)
        return json.line
    }
}

extension JSONLineWriter {
    fileprivate func addingTotal(_ total: UInt64) -> JSONLineWriter {
        var copy = self
        copy.add("total", total)
        return copy
    }
}

extension String {
    /// Three decimals without Foundation.
    init(format3 value: Double) {
        let thousandths = Int64((value * 1000).rounded())
        let fraction = String(thousandths % 1000)
        self = "\(thousandths / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}
