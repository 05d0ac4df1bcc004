import Fabric
import Primary
import Secondary

/// `--trace FILE`: one JSON object per log entry. Keys in fixed order: `t_ns`, `host` (or
/// null), `source`, `kind` (net, compare, rewriter, rewriter_queue, colo, lan), then the event's
/// fields. Compare and rewriter events nest the object their own JSON reports print under
/// `"decision"`.
public enum RunLogJSON {
    public static func line(_ entry: RunLogEntry) -> String {
        var json = JSONLineWriter()
        json.add("t_ns", entry.time.nanoseconds)
        json.add("host", entry.host?.rawValue)
        json.add("source", entry.source)
        switch entry.event {
        case .net(let event):
            json.add("kind", "net")
            add(event, to: &json)
        case .compare(let event):
            json.add("kind", "compare")
            json.add("event", event.token)
            json.add("decision", raw: CompareJSONReport.line(for: event, at: entry.time.microseconds))
        case .rewriter(let event):
            json.add("kind", "rewriter")
            json.add("event", event.token)
            let item = CaptureDecision(timeMicroseconds: entry.time.microseconds, frameIndex: nil, event: event)
            json.add("decision", raw: RewriteReport.jsonLine(item))
        case .rewriterQueue(let event):
            json.add("kind", "rewriter_queue")
            json.add("event", event.token)
            switch event {
            case let .held(sender, depth): json.add("sender", sender.token); json.add("depth", depth)
            case let .dropped(sender, total): json.add("sender", sender.token); json.add("total_dropped", total)
            case let .released(count, cause): json.add("count", count); json.add("cause", cause.rawValue)
            }
        case .controller(let event):
            json.add("kind", "colo")
            add(event, to: &json)
        case .lan(let event):
            json.add("kind", "lan")
            json.add("event", event.token)
            switch event {
            case .clientSent(let bytes), .arrivedAtClient(let bytes): json.add("bytes", bytes)
            case let .tapTransmitted(role, bytes), let .arrivedAtTap(role, bytes):
                json.add("tap", role.rawValue); json.add("bytes", bytes)
            case let .dropped(reason, bytes): json.add("reason", reason.rawValue); json.add("bytes", bytes)
            case .activeTapChanged(let role): json.add("tap", role?.rawValue)
            }
        }
        return json.line
    }

    private static func add(_ event: NetHop, to json: inout JSONLineWriter) {
        func direction(_ value: NetDirection) -> String { value == .tx ? "tx" : "rx" }
        func output(_ value: FilterOutput, into json: inout JSONLineWriter) {
            json.add("output", value.destination)
            switch value.result {
            case .written(let bytes): json.add("result", "written"); json.add("bytes", bytes)
            case .held: json.add("result", "held")
            case let .failed(code, reason): json.add("result", "failed"); json.add("errno", Int(code)); json.add("error", reason)
            }
        }
        switch event {
        case let .sendStarted(walk, sender, frame):
            json.add("event", "send"); json.add("walk", walk.number); json.add("sender", sender); json.add("bytes", frame.count)
            json.add("frame", PacketSummary.describe(frame))
        case let .injectionStarted(walk, filter, sender, dir, frame):
            json.add("event", "inject"); json.add("walk", walk.number); json.add("filter", filter)
            json.add("nominal_sender", sender); json.add("direction", dir.map(direction)); json.add("bytes", frame.count)
            json.add("frame", PacketSummary.describe(frame))
        case let .filterSkipped(walk, filter, dir, reason):
            json.add("event", "skip"); json.add("walk", walk.number); json.add("filter", filter)
            json.add("direction", direction(dir)); json.add("reason", reason.description)
        case let .filterPassed(walk, filter, dir):
            json.add("event", "pass"); json.add("walk", walk.number); json.add("filter", filter); json.add("direction", direction(dir))
        case let .filterCopied(walk, filter, dir, out):
            json.add("event", "copy"); json.add("walk", walk.number); json.add("filter", filter); json.add("direction", direction(dir))
            output(out, into: &json)
        case let .filterStole(walk, filter, dir, result, out):
            json.add("event", "steal"); json.add("walk", walk.number); json.add("filter", filter); json.add("direction", direction(dir))
            json.add("send_result", result); output(out, into: &json)
        case let .queued(walk, client, depth, reason):
            json.add("event", "queued"); json.add("walk", walk.number); json.add("client", client); json.add("depth", depth)
            json.add("reason", reason.rawValue)
        case let .delivered(walk, client, fromQueue):
            json.add("event", "delivered"); json.add("walk", walk.number); json.add("client", client); json.add("from_queue", fromQueue)
        case let .dropped(walk, reason, client):
            json.add("event", "dropped"); json.add("walk", walk.number); json.add("reason", reason.rawValue); json.add("client", client)
        case let .sendCompleted(walk, sender):
            json.add("event", "send_completed"); json.add("walk", walk.number); json.add("sender", sender)
        case .vmStateChanged(let running):
            json.add("event", "vm_state"); json.add("running", running)
        case let .filterStatusChanged(filter, status):
            json.add("event", "filter_status"); json.add("filter", filter); json.add("status", status.description)
        case let .indevReading(filter, attached, cause):
            json.add("event", "indev_reading"); json.add("filter", filter); json.add("attached", attached); json.add("cause", cause.rawValue)
        case let .indevFrameRefused(filter, bytes):
            json.add("event", "indev_refused"); json.add("filter", filter); json.add("bytes", bytes)
        case let .writeBlocked(walk, filter, dir, destination):
            json.add("event", "write_blocked"); json.add("walk", walk.number); json.add("filter", filter)
            json.add("direction", direction(dir)); json.add("destination", destination)
        case let .walkResumed(walk, filter):
            json.add("event", "walk_resumed"); json.add("walk", walk.number); json.add("filter", filter)
        }
    }

    private static func add(_ event: ControllerStep, to json: inout JSONLineWriter) {
        json.add("event", event.token)
        switch event {
        case .coloStarted(let delay):
            json.add("checkpoint_delay_ms", delay.milliseconds)
        case let .checkpointRequested(trigger, coalesced):
            add(trigger, to: &json); json.add("coalesced", coalesced)
        case let .checkpointStarted(number, trigger):
            json.add("checkpoint", number); add(trigger, to: &json)
        case .secondaryStopped(let number), .stateReceived(let number), .secondaryStarted(let number):
            json.add("checkpoint", number)
        case let .primaryStopped(number, bytes, transfer):
            json.add("checkpoint", number); json.add("state_bytes", bytes); json.add("transfer_ns", transfer.nanoseconds)
        case let .comparesFlushed(number, released, dropped):
            json.add("checkpoint", number); json.add("released", released); json.add("secondary_dropped", dropped)
        case let .secondaryLoaded(number, equal):
            json.add("checkpoint", number); json.add("equals_primary", equal)
        case let .primaryStarted(number, pause):
            json.add("checkpoint", number); json.add("pause_ns", pause.nanoseconds)
        case let .checkpointAborted(number, reason):
            json.add("checkpoint", number); json.add("reason", reason)
        case .hostLost(let role):
            json.add("host_lost", role.rawValue)
        case let .failover(role, detail):
            json.add("side", role.rawValue); json.add("detail", detail)
        case .teardown(let step):
            json.add("step", step)
        case .chardevReconnected(let chardev):
            json.add("chardev", chardev)
        case .coloExited(let reason), .watchdog(let reason):
            json.add("reason", reason)
        case .timeline(let action):
            json.add("action", action.token); json.add("detail", action.description)
        }
    }

    static func add(_ trigger: CheckpointTrigger, to json: inout JSONLineWriter) {
        json.add("reason", trigger.token)
        if case let .compare(object, request) = trigger {
            json.add("compare", object)
            json.add("connection", request?.connection.description)
        }
    }
}
