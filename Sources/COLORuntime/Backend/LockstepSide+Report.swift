import Fabric
import Deployment

/// The parts of a run's report that Lockstep's own side knows: the client's view, the guests'
/// and the client's frame counts, output commit, client streams, checkpoint loads, and the
/// ledgers of the host network and the two tap ends.
extension LockstepSide {
    package var workloadSummary: WorkloadSummary {
        WorkloadSummary(client: client, primaryGuest: guest(.primary), workload: configuration.workload)
    }

    /// Client and guest figures; the backend adds what it observed of QEMU.
    package var traffic: TrafficSummary {
        var summary = TrafficSummary()
        summary.clientFramesSent = client.framesOut
        summary.clientFramesReceived = client.framesIn
        for role in HostRole.allCases {
            var figures = TrafficSummary.Host()
            let machine = guest(role)
            figures.guestFramesIn = machine.counters.framesIn
            figures.guestFramesOut = machine.counters.framesOut
            figures.guestStackDrops = machine.host.stack.counters.totalDrops
            figures.tapFramesRead = tap(role).counters.sentToQEMU
            figures.tapFramesTransmitted = tap(role).counters.transmitted
            if role == .primary { summary.primary = figures } else { summary.secondary = figures }
        }
        return summary
    }

    package var outputCommitVerdict: InvariantVerdict { monitor.verdict() }

    /// `streams_intact`, judged against the guest that serves the client at the end.
    package func streamVerdict(primaryAlive: Bool) -> InvariantVerdict {
        let serving = secondaryHasTakenOver ? guest(.secondary) : (primaryAlive ? guest(.primary) : nil)
        return StreamCheck(client: client, servingGuest: serving, workload: configuration.workload).verdict()
    }

    package func equalityVerdict(_ records: [CheckpointRecord]) -> InvariantVerdict {
        .secondaryEqualsPrimary(after: records)
    }

    /// The host network's ledgers and each tap end's.
    package var ledgers: [ConservationLedger] {
        var ledgers = lan.ledgers()
        for tap in taps {
            let c = tap.counters
            ledgers.append(ConservationLedger(
                component: "\(tap.role) tap end", unit: "frames from the network", entered: c.sentToQEMU + c.hostDown,
                outcomes: [.init(outcome: "sent to QEMU", count: c.sentToQEMU), .init(outcome: "dropped: host lost", count: c.hostDown)],
                pending: 0))
        }
        return ledgers
    }

    /// Whether the secondary guest equals the primary now (a report after the last load).
    package var guestsEqual: Bool { GuestFingerprint(guest(.primary)) == GuestFingerprint(guest(.secondary)) }
}
