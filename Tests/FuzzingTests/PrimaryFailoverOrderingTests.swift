import Testing
@testable import Fabric
@testable import GuestStack
@testable import Deployment
@testable import COLORuntime
@testable import Scenarios
@testable import Fuzzing

/// Issue #6: under the fuzzer's orderings the client of `primary-failover.yaml` stalled at
/// about 71 kB. The cause was not failover: the shared TCP stack's reassembly queue sorted a
/// segment that arrived before the first held block to the end, so the receiver never drained
/// past the gap and the transfer crawled on retransmission timeouts. Failover only made the
/// scenario long enough to show it. These runs lose the primary mid-transfer under seeded
/// orderings (simultaneous events ordered by the chooser, as `lockstep fuzz` does).
@Suite("Primary failover under explored orderings")
struct PrimaryFailoverOrderingTests {
    static let responseSize = 500_000
    /// Before the first retransmission, inside the initial burst, and later in the transfer.
    static let failoverMilliseconds: [Int64] = [1, 10, 50, 100]

    static func target(failoverAt instant: VirtualDuration) throws -> FuzzTarget {
        var scenario = try ScenarioParser.load(path: FuzzTests.library + "/primary-failover.yaml")
        scenario.configuration.workload.responseSize = responseSize
        scenario.configuration.timeline = [TimelineEvent(at: instant, .losePrimary)]
        scenario.configuration.endsWhenWorkloadCompletes = true
        return FuzzTarget(scenario: scenario)
    }

    @Test("K-10: primary lost mid-transfer under 20 seeded orderings × 4 instants — the client's stream completes intact",
          arguments: 0..<20)
    func streamSurvivesFailover(run: Int) throws {
        let seed = FuzzSeedSpace(baseSeed: 1).seed(ofIndex: run)
        let expectedBytes = Self.responseSize + HTTPLikeMessages.responseHeader(bodySize: Self.responseSize).count
        for ms in Self.failoverMilliseconds {
            let target = try Self.target(failoverAt: .milliseconds(ms))
            let (report, violations) = target.run(seed: seed, chooser: SeededChooser(seed: seed))
            let context = "seed \(seed), failover at \(ms) ms"
            let run = try #require(report, "\(context): \(violations)")
            #expect(violations.isEmpty, "\(context): \(violations)")
            #expect(run.workload.isComplete, "\(context): \(run.workload)")
            #expect(run.workload.connectionErrors == 0, "\(context)")
            #expect(run.workload.clientBytesReceived == expectedBytes, "\(context)")
            #expect(run.invariant("streams_intact")?.status == .holds, "\(context): \(run.invariant("streams_intact")?.detail ?? "")")
            let failedOver = run.controllerEvents.contains { if case .failover(.secondary, _) = $0.event { true } else { false } }
            #expect(failedOver, "\(context): the secondary never failed over")
        }
    }
}
