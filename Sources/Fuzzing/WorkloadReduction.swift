import COLORuntime

/// How a shrunk failure's workload differs from its scenario file's: fewer connections and
/// exchanges, smaller requests and responses, timeline events left out. A replay file carries
/// it next to the decision list, so `lockstep replay` runs the same reduced scenario (the file's
/// hash still guards the scenario it is applied to).
public struct WorkloadReduction: Sendable, Hashable, Codable {
    public var connections: Int?
    public var requestsPerConnection: Int?
    public var requestSize: Int?
    public var responseSize: Int?
    /// Positions in the scenario's `timeline` of the events left out, ascending.
    public var droppedTimelineEvents: [Int] = []

    public init(connections: Int? = nil, requestsPerConnection: Int? = nil, requestSize: Int? = nil,
                responseSize: Int? = nil, droppedTimelineEvents: [Int] = []) {
        self.connections = connections
        self.requestsPerConnection = requestsPerConnection
        self.requestSize = requestSize
        self.responseSize = responseSize
        self.droppedTimelineEvents = droppedTimelineEvents
    }

    public var isEmpty: Bool { self == WorkloadReduction() }

    /// The reduction applied to a configuration; positions past the timeline's end are ignored.
    public func applied(to configuration: COLORunConfiguration) -> COLORunConfiguration {
        var configuration = configuration
        if let connections { configuration.workload.connections = connections }
        if let requestsPerConnection { configuration.workload.requestsPerConnection = requestsPerConnection }
        if let requestSize { configuration.workload.requestSize = requestSize }
        if let responseSize { configuration.workload.responseSize = responseSize }
        if !droppedTimelineEvents.isEmpty {
            configuration.timeline = configuration.timeline.enumerated()
                .filter { !droppedTimelineEvents.contains($0.offset) }.map(\.element)
        }
        return configuration
    }

    /// One line for reports, e.g. `connections 1, requests 2, response_size 512, timeline -[0]`.
    public var summary: String {
        var parts: [String] = []
        if let connections { parts.append("connections \(connections)") }
        if let requestsPerConnection { parts.append("requests \(requestsPerConnection)") }
        if let requestSize { parts.append("request_size \(requestSize)") }
        if let responseSize { parts.append("response_size \(responseSize)") }
        if !droppedTimelineEvents.isEmpty {
            parts.append("timeline events dropped \(droppedTimelineEvents.map(String.init).joined(separator: ","))")
        }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }
}

extension FuzzTarget {
    /// This target with its scenario's workload reduced.
    public func reduced(by reduction: WorkloadReduction?) -> FuzzTarget {
        guard let reduction, !reduction.isEmpty else { return self }
        var target = self
        target.scenario.configuration = reduction.applied(to: scenario.configuration)
        return target
    }
}
