import Fabric

/// Everything `lockstep run --topology direct` can vary.
public struct DirectRunOptions: Sendable, Hashable {
    public var seed: UInt64 = 1
    public var link = LinkConfiguration()
    public var workload: WorkloadConfiguration
    public var clientStack: StackConfiguration
    public var guestStack: StackConfiguration
    public var guestKnobs = DivergenceKnobs()
    public var guestDefaultResponseSize = 1_024
    /// Virtual time after which the run stops even if the workload has not finished.
    public var timeLimit: VirtualDuration = .seconds(600)

    /// The default workload: 4 connections of 8 requests each (512-byte request bodies,
    /// 16 KiB responses, 10 ms think time) over a 1 ms link.
    public init() {
        var workload = WorkloadConfiguration(server: HostNetwork.guestAddress)
        workload.connections = 4
        workload.requestsPerConnection = 8
        workload.requestSize = 512
        workload.responseSize = 16_384
        workload.thinkTime = .milliseconds(10)
        workload.connectionInterval = .milliseconds(1)
        self.workload = workload
        clientStack = StackConfiguration(name: "client", mac: HostNetwork.clientMAC, address: HostNetwork.clientAddress)
        guestStack = StackConfiguration(name: "guest", mac: HostNetwork.guestMAC, address: HostNetwork.guestAddress)
    }
}

/// The outcome of a direct run, printed as text or as one JSON object.
public struct DirectRunReport: Sendable, Hashable, Codable {
    public struct HostFigures: Sendable, Hashable, Codable {
        public var framesSent: Int
        public var framesReceived: Int
        public var tcpSegmentsSent: Int
        public var tcpPayloadBytesSent: Int
        public var tcpPayloadBytesReceived: Int
        public var retransmissions: Int
        public var fastRetransmits: Int
        public var timeouts: Int
        public var drops: Int
    }

    public var seed: UInt64
    public var completed: Bool
    /// Virtual time at which the workload finished (or the run stopped), in nanoseconds.
    public var completionTimeNanoseconds: Int64
    public var connections: Int
    public var connectionsCompleted: Int
    public var requestsCompleted: Int
    /// Application bytes the client handed to its stack and read from it.
    public var clientBytesSent: Int
    public var clientBytesReceived: Int
    public var bodyMismatches: Int
    public var retransmissions: Int
    public var client: HostFigures
    public var guest: HostFigures
    public var linkTowardGuest: LinkCounters
    public var linkTowardClient: LinkCounters
    public var traceHash: UInt64
    public var events: Int

    public var completionTime: VirtualTime { VirtualTime(nanoseconds: completionTimeNanoseconds) }
}

public enum DirectRun {
    /// Builds the client and guest hosts and the topology for `options`.
    public static func makeTopology(_ options: DirectRunOptions, chooser: (any Chooser)? = nil) -> DirectTopology {
        let client = StackHost(stack: NetworkStack(configuration: options.clientStack),
                               applications: [ConnectionWorkload(options.workload)])
        let guest = StackHost(
            stack: NetworkStack(configuration: options.guestStack),
            applications: [RequestResponseServer(port: options.workload.port, defaultResponseSize: options.guestDefaultResponseSize,
                                                 recording: options.workload.recording)],
            knobs: options.guestKnobs)
        let scheduler = Scheduler(chooser: chooser ?? SeededChooser(seed: options.seed))
        return DirectTopology(client: client, guest: guest, link: options.link, scheduler: scheduler)
    }

    /// Runs the default (or configured) workload to completion and reports it.
    public static func execute(_ options: DirectRunOptions) throws(SchedulerError) -> DirectRunReport {
        let topology = makeTopology(options)
        let completed = try topology.run(until: VirtualTime.zero + options.timeLimit)
        return report(topology, seed: options.seed, completed: completed)
    }

    public static func report(_ topology: DirectTopology, seed: UInt64, completed: Bool) -> DirectRunReport {
        let reports = topology.client.application(0, as: ConnectionWorkload.self)?.reports ?? []
        let expected = topology.client.application(0, as: ConnectionWorkload.self)?.configuration.requestsPerConnection ?? 0
        let clientFigures = figures(topology.client.stack.counters)
        let guestFigures = figures(topology.guest.stack.counters)
        return DirectRunReport(
            seed: seed, completed: completed,
            completionTimeNanoseconds: (topology.completedAt ?? topology.scheduler.now).nanoseconds,
            connections: reports.count,
            connectionsCompleted: reports.filter { $0.requestsCompleted == expected && $0.error == nil }.count,
            requestsCompleted: reports.reduce(0) { $0 + $1.requestsCompleted },
            clientBytesSent: reports.reduce(0) { $0 + $1.sent.count },
            clientBytesReceived: reports.reduce(0) { $0 + $1.received.count },
            bodyMismatches: reports.filter { $0.firstBodyMismatch != nil }.count,
            retransmissions: clientFigures.retransmissions + guestFigures.retransmissions,
            client: clientFigures, guest: guestFigures,
            linkTowardGuest: topology.towardGuest.counters, linkTowardClient: topology.towardClient.counters,
            traceHash: topology.scheduler.traceHash, events: topology.scheduler.executedEvents)
    }

    static func figures(_ counters: StackCounters) -> DirectRunReport.HostFigures {
        DirectRunReport.HostFigures(
            framesSent: counters.framesSent, framesReceived: counters.framesReceived,
            tcpSegmentsSent: counters.tcpSegmentsSent, tcpPayloadBytesSent: counters.tcpPayloadBytesSent,
            tcpPayloadBytesReceived: counters.tcpPayloadBytesReceived, retransmissions: counters.tcpRetransmissions,
            fastRetransmits: counters.tcpFastRetransmits, timeouts: counters.tcpTimeouts, drops: counters.totalDrops)
    }
}
