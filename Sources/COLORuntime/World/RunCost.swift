import Fabric
import GuestStack
import Primary

/// What a run would cost, estimated from its configuration alone (no clock, so the same
/// configuration always gets the same answer): the bytes its workloads ask to move and the
/// scheduler events its workloads and timers need. `lockstep run`, scenario files, fuzz and the
/// failover sweep refuse absurd work with this price instead of running for days or exhausting
/// memory, and show progress for long work.
public struct RunCost: Sendable, Hashable {
    /// A run keeps about twice the bytes it moves in memory (the client's stream records, the
    /// guests' buffers, the compare's queues): 256 MiB moved is about 600 MB resident.
    public static let byteLimit = 256.0 * 1024 * 1024
    /// Runs estimated above this many events (about five minutes) are refused.
    public static let eventLimit = 100_000_000.0
    /// Events per second of a release build on one core (`lockstep run`, data-heavy workloads
    /// run slower than the 1.5M hops/s of docs/ARCHITECTURE.md): used for the estimate only.
    public static let eventsPerSecond = 300_000.0

    public struct Part: Sendable, Hashable {
        public var name: String
        public var events: Double
    }

    public var bytes: Double
    /// What contributes to the events, largest first.
    public var parts: [Part]
    /// The run bounds itself to this many events (its watchdog's `max_events`).
    public var eventBudget: Double

    public var events: Double { parts.reduce(0) { $0 + $1.events } }
    /// Estimated wall seconds on one core.
    public var seconds: Double { min(events, eventBudget) / Self.eventsPerSecond }

    public init(_ configuration: COLORunConfiguration) {
        let duration = Double(max(configuration.duration.nanoseconds, 0))
        var parts: [Part] = []
        var bytes = 0.0
        func workload(_ name: String, _ workload: WorkloadConfiguration) {
            let (started, exchanges, moved) = Self.extent(of: workload, within: configuration.duration)
            bytes += moved
            parts.append(Part(name: name, events: started * 30 + exchanges * 40 + moved / 200))
        }
        workload("the client's workload", configuration.workload)
        if let outbound = configuration.guestWorkload { workload("the guests' outbound workload", outbound) }
        if let queries = configuration.datagramQueries {
            parts.append(Part(name: "the UDP queries", events: Double(queries.count) * Double(queries.attempts) * 20))
            bytes += Double(queries.count) * (Double(queries.querySize) + Double(queries.responseSize))
        }
        let controller = configuration.controller
        let cycle = Double(max(1, controller.checkpointDelay.nanoseconds + controller.transferDuration.nanoseconds
                                  + controller.loadDuration.nanoseconds))
        parts.append(Part(name: "the checkpoints (every \(controller.checkpointDelay.wholeUnitText))", events: duration / cycle * 16))
        for compare in configuration.topology.primary.compares + configuration.topology.secondary.compares {
            let scan = Double(compare.expiredScanCycle ?? COLOCompare.Configuration.defaultExpiredScanCycleMs) * 1e6
            parts.append(Part(name: "colo-compare \(compare.id)'s scan timer (every \(Int(scan / 1e6)) ms)", events: duration / max(scan, 1e6)))
        }
        for event in configuration.timeline {
            if case .injectFrames(let guests, _, let count) = event.action {
                parts.append(Part(name: "the injected frames", events: Double(count) * Double(guests.count) * 10))
            }
        }
        parts.append(Part(name: "the client's replayed frames", events: Double(configuration.clientReplay.count) * 20))
        self.bytes = bytes
        self.parts = parts.filter { $0.events >= 1 }.sorted { $0.events > $1.events }
        eventBudget = Double(configuration.watchdog.maxEvents)
    }

    /// The connections a workload starts within `duration`, its exchanges and the bytes they
    /// ask to move.
    public static func extent(of workload: WorkloadConfiguration, within duration: VirtualDuration)
        -> (connections: Double, exchanges: Double, bytes: Double) {
        let interval = Double(workload.connectionInterval.nanoseconds)
        let limit = Double(max(duration.nanoseconds, 0))
        let started = interval > 0 ? min(Double(workload.connections), limit / interval + 1) : Double(workload.connections)
        let exchanges = started * Double(workload.requestsPerConnection)
        return (started, exchanges, exchanges * (Double(workload.requestSize) + Double(workload.responseSize)))
    }

    /// Why a workload alone asks to move too much, or nil.
    public static func byteRefusal(_ bytes: Double) -> String? {
        guard bytes > byteLimit else { return nil }
        return "its workload asks to move \(size(bytes)) (connections × requests × (request_size + response_size)); "
            + "a run keeps about twice what it moves in memory, so the limit is \(size(byteLimit))"
    }

    /// Why the run is refused, or nil when it is affordable. The run's own event budget, when
    /// lower than the limit, bounds it and is respected.
    public var refusal: String? {
        if let refusal = Self.byteRefusal(bytes) { return refusal }
        if events > Self.eventLimit && eventBudget > Self.eventLimit {
            let largest = parts.first.map { "; most of it \($0.name)" } ?? ""
            return "it would need about \(Self.count(events)) scheduler events, \(Self.duration(events / Self.eventsPerSecond)) "
                + "at ~\(Self.count(Self.eventsPerSecond)) events/s\(largest); the limit is \(Self.count(Self.eventLimit)) "
                + "(shorten the duration or shrink the largest part; a scenario's watchdog max_events below the limit bounds the run instead)"
        }
        return nil
    }

    static func count(_ value: Double) -> String {
        switch value {
        case 1e9...: "\(rounded(value / 1e9))G"
        case 1e6...: "\(rounded(value / 1e6))M"
        case 1e3...: "\(rounded(value / 1e3))k"
        default: "\(Int(value))"
        }
    }

    static func size(_ bytes: Double) -> String {
        switch bytes {
        case 1e12...: "\(rounded(bytes / 1e12)) TB"
        case 1e9...: "\(rounded(bytes / 1e9)) GB"
        case 1e6...: "\(rounded(bytes / 1e6)) MB"
        default: "\(Int(bytes)) bytes"
        }
    }

    /// A wall time in the largest unit that keeps it readable.
    public static func duration(_ seconds: Double) -> String {
        switch seconds {
        case (86_400 * 365)...: "about \(rounded(seconds / (86_400 * 365))) years"
        case 86_400...: "about \(rounded(seconds / 86_400)) days"
        case 3600...: "about \(rounded(seconds / 3600)) hours"
        case 60...: "about \(rounded(seconds / 60)) minutes"
        default: "about \(Int(seconds.rounded(.up))) s"
        }
    }

    private static func rounded(_ value: Double) -> String {
        value >= 100 || value.isInfinite ? String(Int(min(value, 1e18))) : String(Double(Int(value * 10)) / 10)
    }
}
