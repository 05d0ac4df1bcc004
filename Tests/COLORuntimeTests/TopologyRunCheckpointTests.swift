import Testing
@testable import Fabric
@testable import GuestStack
@testable import Deployment
@testable import COLORuntime

/// The checkpoint cycle as the network sees it (spec §9.1–9.3).
@Suite("COLO checkpoint cycle")
struct TopologyRunCheckpointTests {
    /// A transfer in flight while checkpoint 1 runs at 50 ms. The migration channel is slow
    /// (0.5 ms one way) and the client's frames are spread by jitter, so the primary keeps
    /// sending after the secondary stopped and the flush has something to release.
    static func busyCheckpoint() throws -> RunReport {
        var configuration = TopologyRuns.download(3_000_000)
        configuration.clientLink.jitter = .microseconds(800)
        configuration.controller.checkpointDelay = .milliseconds(50)
        configuration.controller.channelLatency = .microseconds(500)
        configuration.duration = .milliseconds(80)
        configuration.endsWhenWorkloadCompletes = false
        return try TopologyRuns.run(configuration, keepingLog: true)
    }

    @Test("K-5/K-7: the transaction runs in the spec's order")
    func transactionOrder() throws {
        let report = try Self.busyCheckpoint()
        let steps = report.checkpointSteps(1)
        #expect(steps.map(\.token) == [
            "checkpoint_started", "secondary_stopped", "primary_stopped", "state_received", "compares_flushed",
            "secondary_loaded", "secondary_started", "primary_started",
        ])
        let times = steps.map(\.time)
        #expect(times == times.sorted())
        var parameters = ControllerParameters()
        parameters.channelLatency = .microseconds(500)
        let time = Dictionary(uniqueKeysWithValues: steps.map { ($0.token, $0.time) })
        #expect(time["primary_stopped"]! - time["checkpoint_started"]! == parameters.channelLatency + parameters.channelLatency)
        #expect(time["state_received"]! - time["primary_stopped"]! == parameters.transferDuration)
        let checkpoint = report.checkpoints[0]
        #expect(checkpoint.pause == parameters.transferDuration + parameters.loadDuration + parameters.channelLatency)
        #expect(checkpoint.secondaryEqualsPrimary == true)
    }

    @Test("K-5.8/K-5.10 + F-12/F-14: flushed releases reach the wire only after the primary restarts")
    func releasesWaitForRestart() throws {
        let report = try Self.busyCheckpoint()
        let checkpoint = report.checkpoints[0]
        let stopped = try #require(checkpoint.primaryStoppedAt)
        let restarted = try #require(checkpoint.primaryRestartedAt)
        #expect(checkpoint.released > 0)
        var sentWhileStopped = 0
        var sentAtRestart = 0
        for entry in report.log {
            guard case .lan(.tapTransmitted(.primary, _)) = entry.event else { continue }
            if entry.time > stopped && entry.time < restarted { sentWhileStopped += 1 }
            if entry.time == restarted { sentAtRestart += 1 }
        }
        #expect(sentWhileStopped == 0)
        #expect(sentAtRestart >= checkpoint.released)
        #expect(report.status("output_commit") == .holds)
    }

    @Test("F-12 (tap): while the primary is stopped its tap reads one client frame, which the mirror copies to the secondary at once; the rest wait in the host until the restart")
    func tapReadsOneFrameWhileStopped() throws {
        let report = try Self.busyCheckpoint()
        let checkpoint = report.checkpoints[0]
        let stopped = try #require(checkpoint.primaryStoppedAt)
        let restarted = try #require(checkpoint.primaryRestartedAt)
        var arrivedWhileStopped = 0
        var readWhileStopped: [WalkID] = []
        var mirroredWhileStopped: [WalkID] = []
        var queuedWhileStopped: [WalkID] = []
        var readAtRestart = 0
        for entry in report.log where entry.host != .secondary {
            switch entry.event {
            case .lan(.arrivedAtTap(.primary, _)) where entry.time > stopped && entry.time < restarted:
                arrivedWhileStopped += 1
            case .net(.sendStarted(let walk, "hn0", _)):
                if entry.time > stopped && entry.time < restarted { readWhileStopped.append(walk) }
                if entry.time == restarted { readAtRestart += 1 }
            case .net(.filterCopied(let walk, "m0", .tx, _)) where entry.time > stopped && entry.time < restarted:
                mirroredWhileStopped.append(walk)
            case .net(.queued(let walk, "e0", _, .vmStopped)) where entry.time > stopped && entry.time < restarted:
                queuedWhileStopped.append(walk)
            default:
                break
            }
        }
        #expect(arrivedWhileStopped >= 1)
        #expect(readWhileStopped.count == 1, "the first frame is read; the queue holds it and the tap stops polling")
        #expect(mirroredWhileStopped == readWhileStopped)
        #expect(queuedWhileStopped == readWhileStopped)
        #expect(readAtRestart == arrivedWhileStopped - 1)
        #expect(report.status("output_commit") == .holds)
    }

    @Test("K-8: the client frame mirrored during the primary's stop reaches the stopped secondary and passes its rewriter with the old offsets, held in the rewriter's queue until a later frame")
    func mirroredDuringStopMeetsOldOffsets() throws {
        let report = try Self.busyCheckpoint()
        let checkpoint = report.checkpoints[0]
        let stopped = try #require(checkpoint.primaryStoppedAt)
        let loaded = try #require(checkpoint.secondaryLoadedAt)
        let heldBeforeLoad = report.log.filter { entry in
            guard entry.host == .secondary, entry.time > stopped, entry.time < loaded,
                  case .rewriterQueue(let step) = entry.event else { return false }
            return step.token == "queue_held"
        }
        #expect(!heldBeforeLoad.isEmpty, "the secondary VM is stopped: the rewritten copy waits in the private queue (RW-6)")
    }

    @Test("K-2/K-3: requests before the flush are absorbed; one after it causes the next checkpoint right after")
    func coalescing() throws {
        var configuration = TopologyRuns.requests(connections: 1, exchanges: 1)
        configuration.endsWhenWorkloadCompletes = false
        configuration.duration = .seconds(2)
        // Checkpoint 1 starts at 1 s; its flush is at 1.00515 s and the restart at 1.00615 s.
        configuration.timeline = [
            TimelineEvent(at: .seconds(1), .setCheckpointDelay(.seconds(20))),
            TimelineEvent(at: .milliseconds(1_002), .setCheckpointDelay(.seconds(20))),
            TimelineEvent(at: .microseconds(1_004_000), .setCheckpointDelay(.seconds(20))),
            TimelineEvent(at: .microseconds(1_005_800), .setCheckpointDelay(.seconds(20))),
        ]
        let report = try TopologyRuns.run(configuration)
        #expect(report.checkpoints.count == 2)
        #expect(report.checkpoints[0].trigger == .delayChanged)
        #expect(report.checkpoints[0].absorbedRequests == 2)
        #expect(report.checkpoints[1].requestedAt == .microseconds(1_005_800))
        #expect(report.checkpoints[1].startedAt == report.checkpoints[0].primaryRestartedAt)
        let coalesced = report.controllerEvents.filter { if case .checkpointRequested(_, true) = $0.event { true } else { false } }
        #expect(coalesced.count == 2)
    }

    @Test("K-2: every request re-arms the x-checkpoint-delay timer")
    func periodicTimerRearmed() throws {
        var configuration = TopologyRuns.requests(connections: 1, exchanges: 1)
        configuration.endsWhenWorkloadCompletes = false
        configuration.controller.checkpointDelay = .seconds(1)
        configuration.duration = .milliseconds(3_500)
        configuration.timeline = [TimelineEvent(at: .milliseconds(1_500), .setCheckpointDelay(.seconds(1)))]
        let report = try TopologyRuns.run(configuration)
        #expect(report.checkpoints.map(\.requestedAt) == [.seconds(1), .milliseconds(1_500), .milliseconds(2_500), .milliseconds(3_500)])
        #expect(report.checkpoints.map(\.trigger.token) == ["periodic", "delay_changed", "periodic", "periodic"])
    }

    @Test("Cost model: the pause grows with the state changed since the last checkpoint")
    func proportionalTransfer() throws {
        var configuration = TopologyRuns.download(1_000_000)
        configuration.controller.checkpointDelay = .milliseconds(50)
        configuration.controller.transferNanosecondsPerByte = 10
        configuration.duration = .milliseconds(200)
        configuration.endsWhenWorkloadCompletes = false
        let report = try TopologyRuns.run(configuration)
        let first = try #require(report.checkpoints.first)
        #expect(first.stateBytes > 100_000)
        let expected = VirtualDuration.nanoseconds(ControllerParameters().transferDuration.nanoseconds + 10 * Int64(first.stateBytes))
        let steps = report.checkpointSteps(1)
        let stopped = try #require(steps.first { $0.token == "primary_stopped" }?.time)
        let received = try #require(steps.first { $0.token == "state_received" }?.time)
        #expect(received - stopped == expected)
    }

    @Test("K-4-like: a failed-over primary ignores compare requests; no checkpoint follows")
    func requestsAfterCOLOEnds() throws {
        var configuration = TopologyRuns.requests(connections: 1, exchanges: 3)
        configuration.secondaryKnobs.processingDelay = .seconds(10)
        configuration.controller.runsDocumentedTeardown = false
        configuration.timeline = [TimelineEvent(at: .milliseconds(5), .loseSecondary)]
        configuration.endsWhenWorkloadCompletes = false
        configuration.duration = .seconds(8)
        let report = try TopologyRuns.run(configuration)
        #expect(report.checkpoints.isEmpty)
        let exited = report.controllerEvents.contains { if case .coloExited = $0.event { true } else { false } }
        #expect(exited)
        // Without the teardown the compare keeps holding the primary's output (K-11).
        #expect(!report.workload.isComplete)
    }
}
