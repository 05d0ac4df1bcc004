import Fabric

extension RunReport {
    /// The short report `lockstep run` prints.
    public var text: String {
        var lines: [String] = []
        switch backend {
        case .emulated:
            lines.append("lockstep run: COLO topology, seed \(seed), \(Self.seconds(endTime)) of virtual time (\(stopReason))")
        case .qemu(let qemu):
            lines.append("lockstep run: COLO topology on real QEMU \(qemu.version) (\(qemu.executable)), seed \(seed),"
                + " \(Self.seconds(endTime)) of wall-clock time (\(stopReason))")
            lines.append("  checkpoints: \(qemu.checkpointMechanism)")
        }
        for line in topology { lines.append("  \(line)") }

        let w = workload
        lines.append("workload: \(w.connectionsCompleted)/\(w.connections) connections complete, \(w.requestsCompleted)/\(w.requestsExpected) exchanges;"
            + " client sent \(w.clientBytesSent) bytes, received \(w.clientBytesReceived) bytes"
            + (w.connectionErrors > 0 ? ", \(w.connectionErrors) connection error(s)" : ""))
        lines.append("traffic: client \(traffic.clientFramesSent) frames out, \(traffic.clientFramesReceived) in;"
            + " primary guest \(traffic.primary.guestFramesOut) out, secondary guest \(traffic.secondary.guestFramesOut) out")
        for compare in traffic.compares {
            lines.append("  \(compare.id): \(compare.primaryRecords) primary and \(compare.secondaryRecords) secondary records,"
                + " \(compare.released) released, \(compare.checkpointRequests) checkpoint request(s)")
        }
        for rewriter in traffic.rewriters {
            lines.append("  \(rewriter.id): \(rewriter.framesSeen) frames, \(rewriter.rewritten) rewritten"
                + (rewriter.copiesHeld > 0 ? ", \(rewriter.copiesHeld) held" : "") + (rewriter.inFailoverMode ? ", in failover mode" : ""))
        }
        lines.append(latencyLine)

        lines.append("checkpoints: \(checkpoints.count)")
        for checkpoint in checkpoints {
            var line = "  #\(checkpoint.number) requested at \(Self.seconds(checkpoint.requestedAt)): \(checkpoint.trigger.explanation)"
            if checkpoint.absorbedRequests > 0 { line += "; \(checkpoint.absorbedRequests) more request(s) absorbed (K-3)" }
            switch checkpoint.outcome {
            case .completed:
                line += "; primary paused \(Self.milliseconds(checkpoint.pause ?? .zero)), \(checkpoint.released) released by the flush"
            case .aborted(let why):
                line += "; aborted: \(why)"
            case .inProgress:
                line += "; still in progress at the end"
            }
            lines.append(line)
        }
        let scripted = controllerEvents.compactMap { item -> String? in
            switch item.event {
            case .timeline(let action): "  \(Self.seconds(item.time)) \(action.description)"
            case let .failover(role, detail): "  \(Self.seconds(item.time)) \(role) failover: \(detail)"
            case .teardown(let step): "  \(Self.seconds(item.time)) teardown: \(step)"
            case .chardevReconnected(let chardev): "  \(Self.seconds(item.time)) chardev \(chardev) reconnected"
            case .coloExited(let reason): "  \(Self.seconds(item.time)) COLO exited: \(reason)"
            case .watchdog(let reason): "  \(Self.seconds(item.time)) watchdog: \(reason)"
            default: nil
            }
        }
        if !scripted.isEmpty {
            lines.append("events:")
            lines += scripted
        }

        lines.append("invariants:")
        for verdict in invariants {
            let status = switch verdict.status {
            case .holds: "holds"
            case .violated: "VIOLATED"
            case .notChecked: "not checked"
            }
            lines.append("  \(verdict.name.padding(toLength: 25, withPad: " ", startingAt: 0)) \(status.padding(toLength: 11, withPad: " ", startingAt: 0)) \(verdict.detail)")
        }
        lines.append("trace: \(logEntries) log entries, \(schedulerEvents) scheduler events, \(hops) packet hops, hash \(traceHashText)")
        return lines.joined(separator: "\n")
    }

    private var latencyLine: String {
        guard let colo = workload.meanExchangeTime else {
            return "latency: no connection completed, so no exchange time"
        }
        var line = "latency: mean exchange \(Self.milliseconds(colo)) with COLO"
        if let base = baseline?.meanExchangeTime {
            let added = colo.nanoseconds - base.nanoseconds
            line += ", \(Self.milliseconds(base)) without: COLO added \(Self.milliseconds(.nanoseconds(added))) per exchange"
        }
        if let connect = workload.meanConnectTime {
            line += "; connect \(Self.milliseconds(connect))"
            if let base = baseline?.meanConnectTime { line += " (\(Self.milliseconds(base)) without)" }
        }
        return line
    }

    static func seconds(_ time: VirtualTime) -> String {
        let milliseconds = time.nanoseconds / 1_000_000
        let fraction = String(milliseconds % 1_000)
        return "\(milliseconds / 1_000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction) s"
    }

    package static func milliseconds(_ duration: VirtualDuration) -> String {
        let sign = duration.nanoseconds < 0 ? "-" : ""
        let micro = abs(duration.nanoseconds) / 1_000
        let fraction = String(micro % 1_000)
        return "\(sign)\(micro / 1_000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction) ms"
    }
}
