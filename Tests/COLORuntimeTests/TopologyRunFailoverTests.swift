import Testing
@testable import Fabric
@testable import GuestStack
@testable import Deployment
@testable import COLORuntime

/// Losing a host (spec §9.4): the survivor carries on and the client's connections with it.
@Suite("COLO topology failover")
struct TopologyRunFailoverTests {
    /// A download of about 300 ms with a checkpoint every 100 ms, so failover instants fall
    /// before, between, during and after checkpoints.
    static func transfer() -> COLORunConfiguration {
        var configuration = TopologyRuns.download(6_000_000)
        configuration.controller.checkpointDelay = .milliseconds(100)
        return configuration
    }

    @Test("K-10: primary lost mid-transfer — the secondary takes over and the client's stream completes intact",
          arguments: [40, 101, 103, 104, 150, 230])
    func primaryLost(atMilliseconds ms: Int64) throws {
        var configuration = Self.transfer()
        configuration.timeline = [TimelineEvent(at: .milliseconds(ms), .losePrimary)]
        let report = try TopologyRuns.run(configuration)
        #expect(report.workload.isComplete, "failover at \(ms) ms: \(report.workload)")
        #expect(report.workload.connectionErrors == 0)
        #expect(report.workload.clientBytesReceived == 6_000_000 + HTTPLikeMessages.responseHeader(bodySize: 6_000_000).count)
        for name in ["streams_intact", "output_commit", "conservation"] {
            #expect(report.status(name) == .holds, "failover at \(ms) ms, \(name): \(report.invariant(name)?.detail ?? "")")
        }
        let failover = report.controllerEvents.first { if case .failover(.secondary, _) = $0.event { true } else { false } }
        #expect(failover != nil)
        // The secondary's guest served the rest: its frames reached the client through its tap.
        #expect(report.traffic.secondary.tapFramesTransmitted > 0)
        #expect(report.checkpoints.allSatisfy { $0.outcome != .inProgress })
    }

    @Test("K-10: a failover requested while the secondary loads a checkpoint waits for the load")
    func failoverDeferredDuringLoad() throws {
        var configuration = Self.transfer()
        // Checkpoint 1 starts at 100 ms: request +50 µs, reply +50 µs, 5 ms transfer, then a
        // 1 ms load. The primary dies after the state arrived, during the load.
        configuration.timeline = [TimelineEvent(at: .microseconds(105_500), .losePrimary)]
        let report = try TopologyRuns.run(configuration, keepingLog: false)
        let events = report.controllerEvents
        let loaded = try #require(events.first { if case .secondaryLoaded(1, true) = $0.event { true } else { false } })
        let failover = try #require(events.first { if case .failover(.secondary, _) = $0.event { true } else { false } })
        #expect(loaded.time <= failover.time)
        #expect(report.workload.isComplete && report.invariantsHold)
    }

    @Test("K-10: a primary lost before the state arrived leaves the secondary on its own state")
    func failoverBeforeStateArrived() throws {
        var configuration = Self.transfer()
        configuration.timeline = [TimelineEvent(at: .microseconds(102_000), .losePrimary)]
        let report = try TopologyRuns.run(configuration)
        let aborted = report.controllerEvents.contains {
            if case .checkpointAborted(1, let why) = $0.event { why.contains("keeps its own state") } else { false }
        }
        #expect(aborted)
        #expect(report.checkpoints.first?.outcome == .aborted("primary lost"))
        #expect(report.workload.isComplete && report.invariantsHold)
    }

    @Test("K-11: secondary lost — COLO stops, the documented teardown runs, the primary carries on alone",
          arguments: [30, 102, 180])
    func secondaryLost(atMilliseconds ms: Int64) throws {
        var configuration = Self.transfer()
        configuration.timeline = [TimelineEvent(at: .milliseconds(ms), .loseSecondary)]
        let report = try TopologyRuns.run(configuration)
        #expect(report.workload.isComplete, "secondary lost at \(ms) ms")
        let teardown = report.controllerEvents.compactMap { if case .teardown(let step) = $0.event { step } else { nil } }
        #expect(teardown == ["object-del comp0", "object-del m0", "object-del redire0", "object-del redire1"])
        #expect(report.topology.first == "primary: hn0 []; comp0")
        #expect(report.checkpoints.allSatisfy { $0.requestedAt < .milliseconds(ms) || $0.outcome != .completed })
        for name in ["streams_intact", "output_commit", "conservation"] {
            #expect(report.status(name) == .holds, "\(name): \(report.invariant(name)?.detail ?? "")")
        }
    }

    @Test("Failover keeps the run deterministic")
    func failoverDeterministic() throws {
        var configuration = Self.transfer()
        configuration.timeline = [TimelineEvent(at: .milliseconds(150), .losePrimary)]
        #expect(try TopologyRuns.run(configuration).traceHash == TopologyRuns.run(configuration).traceHash)
    }
}
