import Fabric
import GuestStack
import Primary
import Secondary

/// What `lockstep run` changes from its options, for either topology: the COLO pair
/// (``coloConfiguration()``, from the default scenario) or one direct link
/// (``directRunOptions()``). Nil keeps the topology's default. The seed, the client's workload
/// and its link apply the same way to both.
public struct RunOptions: Sendable, Hashable {
    public var seed: UInt64?

    // The client's workload and link, both topologies.
    public var connections: Int?
    public var requestsPerConnection: Int?
    public var requestSize: Int?
    public var responseSize: Int?
    public var thinkTime: VirtualDuration?
    public var latency: VirtualDuration?
    public var jitter: VirtualDuration?
    public var loss: Rate?
    public var duplication: Rate?
    public var reordering: Rate?

    // COLO only.
    public var duration: VirtualDuration?
    public var checkpointDelay: VirtualDuration?
    public var transferDuration: VirtualDuration?
    /// False: a clean workload, without the default scenario's divergent response.
    public var diverges = true
    /// From when the secondary guest serves its one divergent response (default 1 s).
    public var divergeAt: VirtualDuration?
    public var losePrimaryAt: VirtualDuration?
    public var loseSecondaryAt: VirtualDuration?
    /// How much later than the primary the secondary guest answers.
    public var secondaryDelay: VirtualDuration?
    public var splitsChunks = false
    public var endsWhenWorkloadCompletes = false
    public var measuresBaseline = true
    public var compareProfile: CompareProfile = .upstream
    public var rewriterProfile: RewriterProfile = .upstream
    public var net: QEMUNetVersion = .upstream

    // Direct only.
    public var timeLimit: VirtualDuration?

    public init() {}

    /// The default scenario (or, without divergence, the clean workload) with these changes.
    public func coloConfiguration() -> COLORunConfiguration {
        var configuration = diverges ? COLORunConfiguration.defaultScenario : COLORunConfiguration()
        if let seed { configuration.seed = seed }
        if let duration { configuration.duration = duration }
        if let checkpointDelay { configuration.controller.checkpointDelay = checkpointDelay }
        if let transferDuration { configuration.controller.transferDuration = transferDuration }
        if let divergeAt, diverges {
            configuration.timeline = [TimelineEvent(at: divergeAt, .divergeSecondaryResponses(count: 1))]
        }
        if let losePrimaryAt { configuration.timeline.append(TimelineEvent(at: losePrimaryAt, .losePrimary)) }
        if let loseSecondaryAt { configuration.timeline.append(TimelineEvent(at: loseSecondaryAt, .loseSecondary)) }
        if let secondaryDelay { configuration.secondaryKnobs.processingDelay = secondaryDelay }
        configuration.endsWhenWorkloadCompletes = endsWhenWorkloadCompletes
        configuration.pipes.splitsChunks = splitsChunks
        configuration.measuresBaseline = measuresBaseline
        applyClient(to: &configuration.workload, link: &configuration.clientLink)
        configuration.profiles.compare = compareProfile
        configuration.profiles.rewriter = rewriterProfile
        configuration.profiles.net = net
        return configuration
    }

    /// The direct run's defaults with these changes.
    public func directRunOptions() -> DirectRunOptions {
        var options = DirectRunOptions()
        if let seed { options.seed = seed }
        applyClient(to: &options.workload, link: &options.link)
        if let timeLimit { options.timeLimit = timeLimit }
        return options
    }

    private func applyClient(to workload: inout WorkloadConfiguration, link: inout LinkConfiguration) {
        if let connections { workload.connections = connections }
        if let requestsPerConnection { workload.requestsPerConnection = requestsPerConnection }
        if let requestSize { workload.requestSize = requestSize }
        if let responseSize { workload.responseSize = responseSize }
        if let thinkTime { workload.thinkTime = thinkTime }
        if let latency { link.latency = latency }
        if let jitter { link.jitter = jitter }
        if let loss { link.loss = loss }
        if let duplication { link.duplication = duplication }
        if let reordering { link.reordering = reordering }
    }
}
