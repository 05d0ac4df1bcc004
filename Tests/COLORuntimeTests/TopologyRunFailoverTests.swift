import Testing
@testable import Fabric
@testable import GuestStack
@testable import Deployment
@testable import COLORuntime
import Primary

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
        #expect(teardown.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
                == ["object-del comp0", "object-del iothread", "object-del m0", "object-del redire0", "object-del redire1"])
        #expect(report.topology.first == "primary: hn0 []; comp0")
        #expect(report.checkpoints.allSatisfy { $0.requestedAt < .milliseconds(ms) || $0.outcome != .completed })
        for name in ["streams_intact", "output_commit", "conservation"] {
            #expect(report.status(name) == .holds, "\(name): \(report.invariant(name)?.detail ?? "")")
        }
    }

    /// The secondary is lost at 102 ms, in checkpoint 2 after the primary stopped (100.1 ms):
    /// the primary stays stopped, waiting for a secondary that never answers.
    static func secondaryLostMidCheckpoint(_ order: PrimaryFailoverOrder, _ flush: CompareDeletionFlush = .qemu) throws -> RunReport {
        var configuration = Self.transfer()
        configuration.timeline = [TimelineEvent(at: .milliseconds(102), .loseSecondary)]
        configuration.controller.primaryFailoverOrder = order
        configuration.profiles.compareDeletion = flush
        return try TopologyRuns.run(configuration, keepingLog: true)
    }

    @Test("K-11: the documented order — delete compare, iothread, mirror, redirectors, then x-colo-lost-heartbeat; a primary a checkpoint had stopped stays stopped until then")
    func teardownBeforeLostHeartbeat() throws {
        let report = try Self.secondaryLostMidCheckpoint(.teardownFirst)
        let events = report.controllerEvents
        let lastTeardown = try #require(events.last { if case .teardown = $0.event { true } else { false } })
        let failover = try #require(events.first { if case .failover(.primary, _) = $0.event { true } else { false } })
        #expect(lastTeardown.time < failover.time || lastTeardown.time == failover.time)
        let started = report.log.first { entry in
            entry.host == .primary && entry.time >= .milliseconds(102) && { if case .net(.vmStateChanged(true)) = entry.event { true } else { false } }()
        }
        #expect(started?.time == failover.time, "the VM runs again only with x-colo-lost-heartbeat")
        let guestOutputDuringTeardown = report.log.filter { entry in
            guard entry.host == .primary, entry.time > .milliseconds(102), entry.time < failover.time,
                  case .net(.sendStarted(_, "e0", _)) = entry.event else { return false }
            return true
        }
        #expect(guestOutputDuringTeardown.isEmpty)
        #expect(report.workload.isComplete && report.invariantsHold)
    }

    @Test("C-28: deleting a compare loses its queued primaries in QEMU (outdev detached first), counted as failed writes; deletion_flush deliver writes them")
    func deletionFlush() throws {
        func writeFailures(_ report: RunReport) -> Int {
            report.ledgers.filter { $0.component.hasSuffix("comp0 outdev") }
                .flatMap(\.outcomes).filter { $0.outcome == "dropped: write failed" }.reduce(0) { $0 + $1.count }
        }
        let qemu = try Self.secondaryLostMidCheckpoint(.teardownFirst, .qemu)
        let deliver = try Self.secondaryLostMidCheckpoint(.teardownFirst, .deliver)
        let qemuNote = qemu.controllerEvents.compactMap { if case .teardown(let step) = $0.event { step } else { nil } }.first ?? ""
        #expect(writeFailures(qemu) > 0)
        #expect(qemuNote.contains("lost"), "\(qemuNote)")
        #expect(writeFailures(deliver) == 0)
        for report in [qemu, deliver] {
            #expect(report.ledgers.allSatisfy { $0.balances })
            #expect(report.workload.isComplete, "TCP retransmits what the deletion lost")
        }
    }

    @Test("K-11 (restart first, on request): the VM runs before the teardown; what it sends into the compare meanwhile is lost at the deletion, and the ledgers show it")
    func restartFirstLosesMore() throws {
        func lost(_ report: RunReport) -> Int {
            report.ledgers.filter { $0.component.hasSuffix("comp0 outdev") }
                .flatMap(\.outcomes).filter { $0.outcome == "dropped: write failed" }.reduce(0) { $0 + $1.count }
        }
        // Clients keep asking while the secondary dies in checkpoint 1 (the primary stopped at
        // 100.1 ms); the operator takes 5 ms per object-del.
        func run(_ order: PrimaryFailoverOrder) throws -> RunReport {
            var configuration = TopologyRuns.requests(connections: 4, exchanges: 60)
            configuration.workload.thinkTime = .milliseconds(1)
            configuration.controller.checkpointDelay = .milliseconds(100)
            configuration.controller.operatorStepDelay = .milliseconds(5)
            configuration.controller.primaryFailoverOrder = order
            configuration.timeline = [TimelineEvent(at: .microseconds(100_500), .loseSecondary)]
            return try TopologyRuns.run(configuration)
        }
        let documented = try run(.teardownFirst)
        let restartFirst = try run(.restartFirst)
        #expect(lost(restartFirst) > lost(documented))
        #expect(restartFirst.ledgers.allSatisfy { $0.balances })
        #expect(documented.workload.isComplete && restartFirst.workload.isComplete)
    }

    @Test("Failover keeps the run deterministic")
    func failoverDeterministic() throws {
        var configuration = Self.transfer()
        configuration.timeline = [TimelineEvent(at: .milliseconds(150), .losePrimary)]
        #expect(try TopologyRuns.run(configuration).traceHash == TopologyRuns.run(configuration).traceHash)
    }
}
