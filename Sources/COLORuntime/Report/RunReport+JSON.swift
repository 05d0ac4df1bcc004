import Fabric

extension RunReport {
    /// `lockstep run --format json`: one JSON object, keys in a fixed order, byte-identical for
    /// equal reports. Times are nanoseconds of virtual time.
    public var json: String {
        var root = JSONLineWriter()
        root.add("topology", "colo")
        if case .qemu(let qemu) = backend {
            // Only real-QEMU reports carry the key, so emulated reports stay byte-identical.
            var object = JSONLineWriter()
            object.add("kind", backend.token)
            object.add("executable", qemu.executable)
            object.add("version", qemu.version)
            object.add("checkpoints", qemu.checkpointMechanism)
            root.add("backend", raw: object.line)
        }
        root.add("seed", seed)
        root.add("hosts", array: topology.map(JSONString.quote))
        root.add("duration_ns", duration.nanoseconds)
        root.add("end_ns", endTime.nanoseconds)
        root.add("stop_reason", stopReason.token)
        root.add("stop_detail", stopReason.description)
        root.add("workload", raw: Self.json(workload))
        root.add("baseline", raw: baseline.map(Self.json) ?? "null")
        root.add("traffic", raw: trafficJSON)
        root.add("checkpoints", array: checkpoints.map(Self.json))
        root.add("events", array: controllerEvents.compactMap(Self.eventJSON))
        root.add("invariants", array: invariants.map { verdict in
            var object = JSONLineWriter()
            object.add("name", verdict.name)
            object.add("status", verdict.status.rawValue)
            object.add("detail", verdict.detail)
            return object.line
        })
        root.add("ledgers", array: ledgers.map { ledger in
            var object = JSONLineWriter()
            object.add("component", ledger.component)
            object.add("unit", ledger.unit)
            object.add("entered", ledger.entered)
            object.add("outcomes", raw: "{" + ledger.outcomes.map { "\(JSONString.quote($0.outcome)):\($0.count)" }.joined(separator: ",") + "}")
            object.add("pending", ledger.pending)
            object.add("balances", ledger.balances)
            return object.line
        })
        root.add("scheduler_events", schedulerEvents)
        root.add("log_entries", logEntries)
        root.add("hops", hops)
        root.add("trace_hash", traceHashText)
        return root.line
    }

    private static func json(_ summary: WorkloadSummary) -> String {
        var object = JSONLineWriter()
        object.add("connections", summary.connections)
        object.add("connections_completed", summary.connectionsCompleted)
        object.add("exchanges_completed", summary.requestsCompleted)
        object.add("exchanges_expected", summary.requestsExpected)
        object.add("client_bytes_sent", summary.clientBytesSent)
        object.add("client_bytes_received", summary.clientBytesReceived)
        object.add("connection_errors", summary.connectionErrors)
        object.add("mean_connect_ns", summary.meanConnectTime?.nanoseconds)
        object.add("mean_exchange_ns", summary.meanExchangeTime?.nanoseconds)
        object.add("completed_at_ns", summary.completedAt?.nanoseconds)
        return object.line
    }

    private var trafficJSON: String {
        func host(_ figures: TrafficSummary.Host) -> String {
            var object = JSONLineWriter()
            object.add("walks", figures.walks)
            object.add("delivered", figures.delivered)
            object.add("stolen", figures.stolen)
            object.add("dropped", figures.dropped)
            object.add("guest_frames_in", figures.guestFramesIn)
            object.add("guest_frames_out", figures.guestFramesOut)
            object.add("guest_stack_drops", figures.guestStackDrops)
            object.add("tap_frames_read", figures.tapFramesRead)
            object.add("tap_frames_transmitted", figures.tapFramesTransmitted)
            return object.line
        }
        var object = JSONLineWriter()
        object.add("client_frames_sent", traffic.clientFramesSent)
        object.add("client_frames_received", traffic.clientFramesReceived)
        object.add("primary", raw: host(traffic.primary))
        object.add("secondary", raw: host(traffic.secondary))
        object.add("compares", array: traffic.compares.map { compare in
            var item = JSONLineWriter()
            item.add("id", compare.id)
            item.add("primary_records", compare.primaryRecords)
            item.add("secondary_records", compare.secondaryRecords)
            item.add("released", compare.released)
            item.add("primary_dropped", compare.primaryDropped)
            item.add("secondary_dropped", compare.secondaryDropped)
            item.add("checkpoint_requests", compare.checkpointRequests)
            item.add("framing_errors", compare.framingErrors)
            item.add("released_unparsed", compare.releasedUnparsed)
            item.add("dropped_unparsed", compare.droppedUnparsed)
            return item.line
        })
        object.add("rewriters", array: traffic.rewriters.map { rewriter in
            var item = JSONLineWriter()
            item.add("id", rewriter.id)
            item.add("frames", rewriter.framesSeen)
            item.add("rewritten", rewriter.rewritten)
            item.add("held", rewriter.copiesHeld)
            item.add("failover_mode", rewriter.inFailoverMode)
            item.add("table_entries", rewriter.tableEntries)
            item.add("entries_removed", rewriter.entriesRemoved)
            return item.line
        })
        object.add("pipes", array: traffic.pipes.map { pipe in
            var item = JSONLineWriter()
            item.add("pipe", pipe.name)
            item.add("records", pipe.records)
            item.add("bytes", pipe.bytes)
            return item.line
        })
        return object.line
    }

    private static func json(_ checkpoint: CheckpointRecord) -> String {
        var object = JSONLineWriter()
        object.add("number", checkpoint.number)
        RunLogJSON.add(checkpoint.trigger, to: &object)
        object.add("explanation", checkpoint.trigger.explanation)
        object.add("requested_ns", checkpoint.requestedAt.nanoseconds)
        object.add("absorbed_requests", checkpoint.absorbedRequests)
        object.add("started_ns", checkpoint.startedAt.nanoseconds)
        object.add("primary_stopped_ns", checkpoint.primaryStoppedAt?.nanoseconds)
        object.add("flushed_ns", checkpoint.flushedAt?.nanoseconds)
        object.add("secondary_loaded_ns", checkpoint.secondaryLoadedAt?.nanoseconds)
        object.add("primary_restarted_ns", checkpoint.primaryRestartedAt?.nanoseconds)
        object.add("pause_ns", checkpoint.pause?.nanoseconds)
        object.add("state_bytes", checkpoint.stateBytes)
        object.add("released", checkpoint.released)
        object.add("secondary_dropped", checkpoint.secondaryDropped)
        if let equal = checkpoint.secondaryEqualsPrimary { object.add("secondary_equals_primary", equal) } else { object.add("secondary_equals_primary", raw: "null") }
        switch checkpoint.outcome {
        case .completed: object.add("outcome", "completed")
        case .inProgress: object.add("outcome", "in_progress")
        case .aborted(let why): object.add("outcome", "aborted"); object.add("abort_reason", why)
        }
        return object.line
    }

    private static func eventJSON(_ item: (time: VirtualTime, event: ControllerStep)) -> String? {
        switch item.event {
        case .timeline, .failover, .teardown, .coloExited, .watchdog, .hostLost, .chardevReconnected:
            let entry = RunLogEntry(time: item.time, host: nil, source: "colo", event: .controller(item.event))
            return RunLogJSON.line(entry)
        default:
            return nil
        }
    }
}
