import Testing
@testable import Fabric
@testable import GuestStack
@testable import Deployment
@testable import COLORuntime

/// What a writer blocked on a reader that stopped reading does to a whole COLO run (M-4, R-3,
/// W-10, K-7).
@Suite("Blocked writers in a COLO run")
struct BlockedWriterRunTests {
    /// The record f2 writes on red1 at 300 ms has a corrupt length: colo-compare's reader of
    /// secondary_in dies of a framing error (W-10) and never reads again, so red1's socket fills
    /// (32 KiB here) with the secondary guest's output.
    static func deadSecondaryInput(_ writers: WriterBlocking) throws -> RunReport {
        var configuration = TopologyRuns.requests(connections: 1, exchanges: 60)
        configuration.guestDefaultResponseSize = 8_192
        configuration.workload.responseSize = 8_192
        configuration.pipes.capacity = 32_768
        configuration.profiles.writers = writers
        configuration.watchdog.progressTimeout = .seconds(3)
        configuration.duration = .seconds(60)
        configuration.topology = Self.shortCompareTimeout()
        configuration.timeline = [TimelineEvent(at: .milliseconds(300), .chardevFault(chardev: "red1", .corruptLength))]
        return try TopologyRuns.run(configuration)
    }

    static func shortCompareTimeout() -> Topology {
        var topology = Topology.reference
        for (index, object) in topology.primary.objects.enumerated() {
            if case .coloCompare(var compare) = object {
                compare.compareTimeout = 200
                compare.expiredScanCycle = 100
                topology.primary.objects[index] = .coloCompare(compare)
            }
        }
        return topology
    }

    @Test("W-10 + R-3: once the dead compare input's socket is full, f2's write wedges the secondary's main loop: it never replies to a checkpoint request, checkpoints stop, the client stalls")
    func secondaryWedges() throws {
        let report = try Self.deadSecondaryInput(.qemu)
        #expect(report.traffic.secondary.mainLoopWedges == 1)
        #expect(report.traffic.secondary.mainLoopWedgedAtEnd)
        #expect(!report.workload.isComplete)
        if case .noProgress = report.stopReason {} else { Issue.record("stop reason \(report.stopReason)") }
        let last = try #require(report.checkpoints.last)
        #expect(last.outcome == .inProgress && last.primaryStoppedAt == nil, "the primary waits for a reply that never comes")
        #expect(report.ledgers.allSatisfy { $0.balances })
    }

    @Test("M-4 (fixed): with writers that never block the same fault costs timeout checkpoints only, and the run completes")
    func fixedWritersComplete() throws {
        let report = try Self.deadSecondaryInput(.fixed)
        #expect(report.traffic.secondary.mainLoopWedges == 0)
        #expect(report.workload.isComplete)
        #expect(report.checkpoints.count > 1)
    }
}
