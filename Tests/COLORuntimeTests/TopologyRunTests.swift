import Testing
@testable import Fabric
@testable import GuestStack
@testable import Primary
@testable import Deployment
@testable import COLORuntime

/// The COLO topology end to end (issue 6): the reference deployment with real compare and
/// rewriter in the data path, its checkpoints and their reasons, and the invariants.
@Suite("COLO topology runs")
struct TopologyRunTests {
    @Test("§10 + K-1: a clean workload gets only periodic checkpoints and every invariant holds")
    func cleanWorkload() throws {
        var configuration = TopologyRuns.requests(connections: 3, exchanges: 20)
        configuration.controller.checkpointDelay = .milliseconds(300)
        let report = try TopologyRuns.run(configuration)
        #expect(report.workload.isComplete)
        #expect(report.workload.requestsCompleted == 60)
        #expect(!report.checkpoints.isEmpty)
        #expect(report.checkpoints.allSatisfy { $0.trigger == .periodic && $0.outcome == .completed })
        for name in ["output_commit", "streams_intact", "conservation", "secondary_equals_primary"] {
            #expect(report.status(name) == .holds, "\(name): \(report.invariant(name)?.detail ?? "")")
        }
        #expect(report.topology == ["primary: hn0 [m0, redire0, redire1]; comp0", "secondary: hn0 [f1, f2, rew0]"])
        let compare = try #require(report.traffic.compares.first)
        #expect(compare.released == compare.primaryRecords && compare.primaryDropped == 0)
    }

    @Test("C-11 + K-5: one divergent secondary response costs one checkpoint (payload mismatch); the client gets the primary's response once")
    func divergentResponse() throws {
        var configuration = TopologyRuns.requests(connections: 2, exchanges: 10)
        configuration.workload.thinkTime = .milliseconds(100)
        configuration.timeline = [TimelineEvent(at: .milliseconds(300), .divergeSecondaryResponses(count: 1))]
        let report = try TopologyRuns.run(configuration)
        #expect(report.checkpoints.count == 1)
        let checkpoint = try #require(report.checkpoints.first)
        #expect(checkpoint.trigger.token == "payload_mismatch")
        guard case .compare(let object, let request?) = checkpoint.trigger,
              case .payloadMismatch(let mismatch) = request.reason else {
            Issue.record("the checkpoint was not requested by a compare's payload mismatch: \(checkpoint.trigger)")
            return
        }
        #expect(object == "comp0")
        #expect(mismatch.difference != nil)
        #expect(checkpoint.trigger.explanation.contains("payload mismatch on tcp 10.0.0.2:80 > 10.0.0.1:"))
        #expect(checkpoint.released >= 1)
        #expect(checkpoint.outcome == .completed && checkpoint.secondaryEqualsPrimary == true)
        // Exactly once: the client read every response's bytes once, in order, as the primary sent them.
        let response = HTTPLikeMessages.responseHeader(bodySize: configuration.workload.responseSize).count + configuration.workload.responseSize
        #expect(report.workload.clientBytesReceived == 20 * response)
        #expect(report.status("streams_intact") == .holds)
        #expect(report.status("output_commit") == .holds)
        // RW-15: the checkpoint reset the rewriter's offsets (the ISNs differed before it).
        let reset = report.notableEvents.contains { entry in
            if case .rewriter(.checkpoint(_, let offsetsReset, _)) = entry.event { offsetsReset > 0 } else { false }
        }
        #expect(reset)
    }

    @Test("RW-9/RW-11/RW-12: different guest ISNs are translated by the rewriter; a long transfer needs no checkpoint")
    func isnDifference() throws {
        var configuration = TopologyRuns.download(2_000_000)
        configuration.clientLink = LinkConfiguration(latency: .microseconds(200))
        let report = try TopologyRuns.run(configuration)
        #expect(report.workload.isComplete)
        #expect(report.checkpoints.isEmpty)
        let rewriter = try #require(report.traffic.rewriters.first)
        #expect(rewriter.id == "rew0")
        // Every segment of the secondary's and most of the client's were translated (offset ≠ 0).
        #expect(rewriter.rewritten > 1_000)
        #expect(report.traffic.compares.first?.checkpointRequests == 0)
        #expect(report.invariantsHold)
    }

    @Test("C-19: a slow secondary is caught by the timeout scan between 3 and 4 s after the primary's packet")
    func slowSecondary() throws {
        var configuration = TopologyRuns.requests(connections: 1, exchanges: 1)
        configuration.secondaryKnobs.processingDelay = .seconds(10)
        let report = try TopologyRuns.run(configuration)
        let checkpoint = try #require(report.checkpoints.first)
        guard case .compare(_, let request?) = checkpoint.trigger, case .timeout(let timeout) = request.reason else {
            Issue.record("not a timeout: \(checkpoint.trigger)")
            return
        }
        #expect(timeout.side == .primary)
        #expect(timeout.ageMs > 3_000 && timeout.ageMs <= 4_000)
        #expect(checkpoint.requestedAt >= .seconds(3) && checkpoint.requestedAt <= .milliseconds(4_100))
        // The response the secondary never matched reached the client through the checkpoint flush.
        #expect(report.workload.isComplete)
        #expect(report.invariantsHold)
    }

    @Test("Timeline: a stalled secondary guest gets the primary's output held until a timeout checkpoint; the client carries on")
    func stalledSecondary() throws {
        var configuration = TopologyRuns.requests(connections: 2, exchanges: 6)
        configuration.workload.thinkTime = .milliseconds(200)
        configuration.timeline = [TimelineEvent(at: .milliseconds(300), .stallGuest(.secondary, duration: .seconds(5)))]
        let report = try TopologyRuns.run(configuration)
        #expect(report.workload.isComplete)
        #expect(report.invariantsHold)
        let timeouts = report.checkpoints.filter { $0.trigger.token == "timeout" }
        #expect(!timeouts.isEmpty)
        #expect(timeouts.allSatisfy { $0.requestedAt > .seconds(3) })
    }

    /// The reference topology with virtio-net NICs; `vnetSupport` sets vnet_hdr_support on every
    /// filter and the compare.
    static func virtio(vnetSupport: Bool) -> COLORunConfiguration {
        var configuration = TopologyRuns.requests(connections: 2, exchanges: 3)
        for role in HostRole.allCases {
            configuration.topology[role].nics[0].model = "virtio-net-pci"
            guard vnetSupport else { continue }
            configuration.topology[role].objects = configuration.topology[role].objects.map { object in
                switch object {
                case .filter(var filter):
                    filter.vnetHeaderSupport = true
                    return .filter(filter)
                case .coloCompare(var compare):
                    compare.vnetHeaderSupport = true
                    return .coloCompare(compare)
                default:
                    return object
                }
            }
        }
        return configuration
    }

    @Test("W-1/L-10: virtio-net headers with vnet_hdr_support everywhere are compared and rewritten; without it nothing is")
    func vnetHeaders() throws {
        let consistent = try TopologyRuns.run(Self.virtio(vnetSupport: true))
        #expect(consistent.invariantsHold && consistent.workload.isComplete)
        #expect((consistent.traffic.rewriters.first?.rewritten ?? 0) > 0)
        // Secondary packets were consumed by comparisons, not dropped unparseable.
        #expect(consistent.traffic.compares[0].secondaryDropped == consistent.traffic.compares[0].secondaryRecords)
        #expect(consistent.traffic.compares[0].secondaryRecords > 0)

        // L-10: nothing checks the setting. The compare finds every primary frame unparseable and
        // releases it at once; the rewriter translates nothing: COLO protects nothing, silently.
        let mismatched = try TopologyRuns.run(Self.virtio(vnetSupport: false))
        #expect(mismatched.workload.isComplete && mismatched.invariantsHold)
        #expect(mismatched.traffic.rewriters.first?.rewritten == 0)
        #expect(mismatched.traffic.compares[0].checkpointRequests == 0)
        #expect(mismatched.traffic.compares[0].released == mismatched.traffic.compares[0].primaryRecords)
    }

    @Test("Determinism: the same seed twice gives the same trace hash; another seed another one")
    func sameSeedSameHash() throws {
        var configuration = COLORunConfiguration.defaultScenario
        configuration.duration = .seconds(3)
        configuration.measuresBaseline = false
        configuration.pipes.splitsChunks = true
        configuration.pipes.jitter = .microseconds(30)
        let first = try TopologyRuns.run(configuration)
        let second = try TopologyRuns.run(configuration)
        #expect(first.traceHash == second.traceHash)
        #expect(first == second)
        configuration.seed = 2
        let other = try TopologyRuns.run(configuration)
        #expect(other.traceHash != first.traceHash)
        let checked = try COLORun.checkingDeterminism(configuration)
        #expect(checked.status("determinism") == .holds)
    }

    @Test("Output commit: a primary whose guest output bypasses the compare (no redire1) is caught")
    func outputCommitViolation() throws {
        var configuration = TopologyRuns.requests(connections: 1, exchanges: 2)
        configuration.duration = .seconds(2)
        configuration.endsWhenWorkloadCompletes = false
        configuration.topology.primary.objects.removeAll { $0.id == "redire1" }
        let report = try TopologyRuns.run(configuration)
        #expect(report.status("output_commit") == .violated)
        #expect(report.invariant("output_commit")?.detail.contains("no compare released") == true)
        #expect(report.status("conservation") == .holds)
    }

    @Test("lockstep run's default scenario: one payload-mismatch checkpoint, the next periodic one 20 s after its request (K-2)")
    func defaultScenario() throws {
        var configuration = COLORunConfiguration.defaultScenario
        configuration.duration = .seconds(22)
        configuration.measuresBaseline = true
        let report = try COLORun(configuration).run()
        #expect(report.checkpoints.map(\.trigger.token) == ["payload_mismatch", "periodic"])
        let first = report.checkpoints[0]
        let second = report.checkpoints[1]
        #expect(second.requestedAt - first.requestedAt == .seconds(20))
        #expect(report.workload.isComplete)
        #expect(report.invariantsHold)
        let colo = try #require(report.workload.meanExchangeTime)
        let direct = try #require(report.baseline?.meanExchangeTime)
        #expect(colo > direct)
        #expect(report.text.contains("COLO added"))
        #expect(report.json.hasPrefix("{\"topology\":\"colo\",\"seed\":1,"))
    }
}
