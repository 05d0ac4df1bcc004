import Fabric
import Primary

/// Why a COLO run could not start. Each case names the input at fault.
public enum COLORunError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A parameter outside its range, e.g. a zero checkpoint delay.
    case invalidParameter(name: String, value: String, requirement: String)
    /// The topology uses something the runtime does not emulate.
    case unsupported(host: String, what: String)
    /// Creating an object failed the way QEMU would refuse it.
    case creationFailed(host: String, object: String, reason: String)
    /// A capture or trace file could not be written.
    case outputFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidParameter(name, value, requirement):
            "\(name) = \(value) is invalid: \(requirement)"
        case let .unsupported(host, what):
            "\(host): \(what) is not supported by the COLO runtime"
        case let .creationFailed(host, object, reason):
            "\(host): cannot create '\(object)': \(reason)"
        case let .outputFailed(path, reason):
            "cannot write \(path): \(reason)"
        }
    }
}

extension COLORunConfiguration {
    /// Checks every parameter a run depends on; the first problem is thrown.
    public func validate() throws(COLORunError) {
        func require(_ holds: Bool, _ name: String, _ value: @autoclosure () -> String, _ requirement: String) throws(COLORunError) {
            if !holds { throw .invalidParameter(name: name, value: value(), requirement: requirement) }
        }
        func ms(_ duration: VirtualDuration) -> String { "\(Double(duration.nanoseconds) / 1e6) ms" }
        let longest = RunLimits.longestDuration
        try require(duration.nanoseconds > 0, "duration", ms(duration), "must be positive")
        try require(duration <= longest, "duration", ms(duration), "must be at most 100 days")
        try requireCheckpointDelay(controller.checkpointDelay, "x-checkpoint-delay")
        for (name, value) in [("channel latency", controller.channelLatency), ("transfer duration", controller.transferDuration),
                              ("transfer jitter", controller.transferJitter), ("load duration", controller.loadDuration),
                              ("failover delay", controller.failoverDelay),
                              ("operator step delay", controller.operatorStepDelay), ("settle time", settleTime),
                              ("client link latency", clientLink.latency), ("client link jitter", clientLink.jitter),
                              ("pipe latency (same host)", pipes.intraHostLatency), ("pipe latency (across hosts)", pipes.crossHostLatency),
                              ("pipe jitter", pipes.jitter), ("think time", workload.thinkTime),
                              ("connection interval", workload.connectionInterval)] {
            try require(value.nanoseconds >= 0, name, ms(value), "must not be negative")
            try require(value <= longest, name, ms(value), "must be at most 100 days")
        }
        for (name, value) in [("delayed-ACK timeout", guestStack.tcp.delayedAck.timeout), ("initial RTO", guestStack.tcp.initialRTO),
                              ("minimum RTO", guestStack.tcp.minimumRTO), ("TIME_WAIT", guestStack.tcp.timeWait),
                              ("primary processing delay", primaryKnobs.processingDelay),
                              ("primary processing jitter", primaryKnobs.processingJitter),
                              ("secondary processing delay", secondaryKnobs.processingDelay),
                              ("secondary processing jitter", secondaryKnobs.processingJitter),
                              ("reorder delay", clientLink.reorderDelay)] {
            try require(value.nanoseconds >= 0 && value <= longest, name, ms(value), "must be between 0 and 100 days")
        }
        if let timeout = watchdog.progressTimeout {
            try require(timeout <= longest, "progress timeout", ms(timeout), "must be at most 100 days")
        }
        try require(controller.transferNanosecondsPerByte >= 0, "transfer cost", "\(controller.transferNanosecondsPerByte) ns/byte", "must not be negative")
        for (role, workload) in [("", workload)] + (guestWorkload.map { [("guests' outbound ", $0)] } ?? []) {
            try require((1...RunLimits.maximumConnections).contains(workload.connections), "\(role)connections", "\(workload.connections)",
                        "must be between 1 and \(RunLimits.maximumConnections)")
            try require((1...RunLimits.maximumRequests).contains(workload.requestsPerConnection), "\(role)requests per connection",
                        "\(workload.requestsPerConnection)", "must be between 1 and \(RunLimits.maximumRequests)")
            for (name, size) in [("request size", workload.requestSize), ("response size", workload.responseSize)] {
                try require((0...RunLimits.maximumBodyBytes).contains(size), "\(role)\(name)", "\(size) bytes",
                            "must be between 0 and \(RunLimits.maximumBodyBytes) (256 MiB)")
            }
        }
        try require((0...RunLimits.maximumBodyBytes).contains(guestDefaultResponseSize), "default response size",
                    "\(guestDefaultResponseSize) bytes", "must be between 0 and \(RunLimits.maximumBodyBytes) (256 MiB)")
        try require(pipes.capacity >= 1, "pipe capacity", "\(pipes.capacity)", "must be at least 1 byte")
        try require(watchdog.maxEvents >= 1, "event budget", "\(watchdog.maxEvents)", "must be at least 1")
        try require(watchdog.maxEventsPerInstant >= 1, "events per instant", "\(watchdog.maxEventsPerInstant)", "must be at least 1")
        if let timeout = watchdog.progressTimeout {
            try require(timeout.nanoseconds > 0, "progress timeout", ms(timeout), "must be positive")
        }
        for (index, event) in timeline.enumerated() {
            let name = "timeline[\(index)] (\(event.action.token))"
            try require(event.at.nanoseconds >= 0, name, ms(event.at), "its time must not be negative")
            try require(event.latest >= event.at, name, "\(ms(event.at))..\(ms(event.latest))", "its window must not end before it starts")
            // An event past `duration` is refused where it is written (a scenario file, `lockstep
            // run`'s options), not here: a shorter --duration given to a teaching view cuts a
            // scenario's later events on purpose.
            try require(event.latest <= longest, name, ms(event.latest), "its time must be at most 100 days")
            switch event.action {
            case .divergeSecondaryResponses(let count):
                try require(count >= 1, name, "\(count) responses", "must diverge at least one response")
            case .stallGuest(_, let duration):
                try require(duration.nanoseconds > 0 && duration <= longest, name, ms(duration), "a stall must last a positive time of at most 100 days")
            case .setCheckpointDelay(let delay):
                try requireCheckpointDelay(delay, name)
            case .disconnectChardev(let chardev, let duration):
                try require(duration.nanoseconds > 0 && duration <= longest, name, ms(duration),
                            "the disconnection must last a positive time of at most 100 days")
                let ids = topology.links.flatMap { [$0.server.chardev, $0.client.chardev] }
                try require(ids.contains(chardev), name, chardev, "must name a chardev socket of the topology")
            case .chardevFault(let chardev, _):
                let ids = topology.links.flatMap { [$0.server.chardev, $0.client.chardev] }
                try require(ids.contains(chardev), name, chardev, "must name a chardev socket of the topology")
            case .injectFrames(_, _, let count):
                try require(count >= 1, name, "\(count) frames", "must inject at least one frame")
            case let .setCompareProperty(property, value):
                do {
                    _ = try property.validated(value)
                } catch {
                    try require(false, name, "\(value)", error.description)
                }
            case .setVnetHeaderSupport(let object, _):
                let kinds = [topology.primary, topology.secondary].compactMap { host -> String? in
                    if let filter = host.filter(object) { return filter.kind == .mirror || filter.kind == .redirector ? "ok" : "unmodelled" }
                    return host.object(object)?.coloCompare != nil ? "ok" : nil
                }
                try require(!kinds.isEmpty, name, object, "must name a filter-mirror, filter-redirector or colo-compare of the topology")
                try require(!kinds.contains("unmodelled"), name, object,
                            "a run-time vnet_hdr_support change is modelled on filter-mirror, filter-redirector and colo-compare only")
            case .setGuestKnobs(_, let knobs):
                for value in [knobs.processingDelay, knobs.processingJitter] {
                    try require(value.nanoseconds >= 0 && value <= longest, name, ms(value), "a processing delay must be between 0 and 100 days")
                }
            case .losePrimary, .loseSecondary:
                break
            }
        }
    }

    /// x-checkpoint-delay is whole milliseconds in QEMU (a uint32): a nanosecond delay would
    /// re-arm the timer faster than a checkpoint can run, and the run would never end.
    private func requireCheckpointDelay(_ delay: VirtualDuration, _ name: String) throws(COLORunError) {
        let valid = delay.nanoseconds >= 1_000_000 && delay.nanoseconds % 1_000_000 == 0 && delay <= RunLimits.longestCheckpointDelay
        if !valid {
            throw .invalidParameter(name: name, value: "\(Double(delay.nanoseconds) / 1e6) ms",
                                    requirement: "must be whole milliseconds (QEMU's unit), from 1 ms to \(UInt32.max) ms")
        }
    }
}
