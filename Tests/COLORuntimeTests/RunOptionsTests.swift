import Testing
@testable import Fabric
@testable import GuestStack
@testable import Primary
@testable import Secondary
@testable import COLORuntime

/// `lockstep run`'s options, mapped once for the COLO pair and the direct link.
@Suite("Run options")
struct RunOptionsTests {
    @Test("no options: the default scenario, or without divergence the clean workload; the direct run's defaults")
    func defaults() {
        #expect(RunOptions().coloConfiguration() == COLORunConfiguration.defaultScenario)
        var clean = RunOptions()
        clean.diverges = false
        clean.divergeAt = .seconds(2)
        #expect(clean.coloConfiguration() == COLORunConfiguration())
        #expect(RunOptions().directRunOptions() == DirectRunOptions())
    }

    @Test("the seed, the client's workload and its link reach both topologies alike")
    func sharedOptionsReachBoth() {
        var options = RunOptions()
        options.seed = 9
        options.connections = 2
        options.requestsPerConnection = 3
        options.requestSize = 100
        options.responseSize = 900
        options.thinkTime = .milliseconds(20)
        options.latency = .microseconds(300)
        options.jitter = .microseconds(50)
        options.loss = .perMillion(1_000)
        options.duplication = .perMillion(2_000)
        options.reordering = .perMillion(3_000)
        options.timeLimit = .seconds(60)
        let colo = options.coloConfiguration()
        let direct = options.directRunOptions()
        #expect(colo.seed == 9 && direct.seed == 9)
        for workload in [colo.workload, direct.workload] {
            #expect(workload.connections == 2 && workload.requestsPerConnection == 3)
            #expect(workload.requestSize == 100 && workload.responseSize == 900 && workload.thinkTime == .milliseconds(20))
        }
        for link in [colo.clientLink, direct.link] {
            #expect(link.latency == .microseconds(300) && link.jitter == .microseconds(50))
            #expect(link.loss == .perMillion(1_000) && link.duplication == .perMillion(2_000) && link.reordering == .perMillion(3_000))
        }
        #expect(direct.timeLimit == .seconds(60))
        #expect(colo.duration == COLORunConfiguration().duration)
    }

    @Test("K-10/K-11: the COLO options set the controller, the timeline (divergence, then host losses), the knobs and the profiles")
    func coloOptions() {
        var options = RunOptions()
        options.duration = .seconds(3)
        options.checkpointDelay = .milliseconds(500)
        options.transferDuration = .milliseconds(2)
        options.divergeAt = .milliseconds(1_500)
        options.losePrimaryAt = .seconds(2)
        options.loseSecondaryAt = .milliseconds(2_500)
        options.secondaryDelay = .milliseconds(1)
        options.splitsChunks = true
        options.endsWhenWorkloadCompletes = true
        options.measuresBaseline = false
        options.compareProfile = .qemu62
        options.rewriterProfile = .qemu72
        options.net = .qemu72
        let configuration = options.coloConfiguration()
        #expect(configuration.duration == .seconds(3))
        #expect(configuration.controller.checkpointDelay == .milliseconds(500))
        #expect(configuration.controller.transferDuration == .milliseconds(2))
        #expect(configuration.timeline == [
            TimelineEvent(at: .milliseconds(1_500), .divergeSecondaryResponses(count: 1)),
            TimelineEvent(at: .seconds(2), .losePrimary),
            TimelineEvent(at: .milliseconds(2_500), .loseSecondary),
        ])
        #expect(configuration.secondaryKnobs.processingDelay == .milliseconds(1))
        #expect(configuration.pipes.splitsChunks && configuration.endsWhenWorkloadCompletes && !configuration.measuresBaseline)
        #expect(configuration.profiles.compare == .qemu62 && configuration.profiles.rewriter == .qemu72 && configuration.profiles.net == .qemu72)
    }
}
