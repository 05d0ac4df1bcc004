import Fabric
import Deployment
import COLORuntime

/// The report of a real-QEMU run, built as an emulated run's is: the client's view, the
/// checkpoints with their reasons, output commit, client streams, checkpoint loads, ledgers of
/// what Lockstep can count. QEMU's internals (net-core walks, the rewriter's table) are not
/// visible from outside; the counters the report cannot fill are listed as unobserved, and the
/// real run adds one invariant of its own: `compare_explained`.
extension RealWorld {
    /// Counters of `expect: counters:` that only an emulated run can fill.
    static let unobservedCounters = [
        "compare_secondary_dropped", "rewriter_frames_seen", "rewriter_rewritten", "rewriter_copies_held",
        "rewriter_table_entries", "rewriter_entries_removed", "primary_dropped", "secondary_dropped",
        "compare_write_failed",
    ]

    static let checkpointMechanism =
        "real COLO migration (x-colo) through a Lockstep relay on the migration stream; on-demand checkpoints by re-setting x-checkpoint-delay"

    func report(stop: RunStopReason) -> RunReport {
        var traffic = side.traffic
        traffic.compares = compares.map(\.figures)
        traffic.pipes = relays.map { relay in
            TrafficSummary.Pipe(name: relay.name, records: relay.counters.recordsWritten, bytes: relay.counters.bytesForwarded)
        }
        let ledgers = side.ledgers + relayLedgers()
        var invariants = [
            side.outputCommitVerdict,
            side.streamVerdict(primaryAlive: alive[0]),
            conservationVerdict(ledgers),
            side.equalityVerdict(records),
            InvariantVerdict(name: "determinism", status: .notChecked, detail: "a run on real QEMU follows real threads and clocks"),
        ]
        invariants.append(compareExplainedVerdict())
        let description = QEMUBackendDescription(
            executable: binary.path, version: binary.version, checkpointMechanism: Self.checkpointMechanism,
            unobservedCounters: Self.unobservedCounters)
        return RunReport(
            seed: configuration.seed, topology: topologyLines(), duration: configuration.duration, endTime: scheduler.now,
            stopReason: stop, workload: side.workloadSummary, baseline: nil, traffic: traffic, checkpoints: records,
            invariants: invariants, ledgers: ledgers, notableEvents: log.notable, fullLog: log.keepsAll ? log.entries : nil,
            schedulerEvents: scheduler.executedEvents, logEntries: log.entryCount,
            hops: log.netHops + relays.reduce(0) { $0 + $1.counters.readerFramesDecoded },
            traceHash: log.hash.value, backend: .qemu(description))
    }

    private func topologyLines() -> [String] {
        HostRole.allCases.map { role in
            let host = configuration.topology[role]
            let chains = host.netdevs.map { netdev in
                "\(netdev.id) [\(host.filters.filter { $0.netdev == netdev.id }.map(\.id).joined(separator: ", "))]"
            }
            return "\(role) (QEMU \(binary.version)): " + (chains + host.compares.map(\.id)).joined(separator: "; ")
        }
    }

    private func relayLedgers() -> [ConservationLedger] {
        var ledgers: [ConservationLedger] = []
        for role in HostRole.allCases {
            for (name, end) in [("tap", ends[index(role)].tap), ("NIC", ends[index(role)].nic)] {
                ledgers.append(ConservationLedger(
                    component: "\(role) \(name) end socket", unit: "frames to QEMU", entered: end.framesHanded,
                    outcomes: [.init(outcome: "sent", count: end.framesSent),
                               .init(outcome: "dropped: QEMU's socket queue full or gone", count: end.sendFailures)],
                    pending: end.backlogCount))
            }
        }
        return ledgers + relays.map { relay in
            let c = relay.counters
            return ConservationLedger(
                component: "relay \(relay.name)", unit: "bytes", entered: Int(c.bytesWritten),
                outcomes: [.init(outcome: "read", count: Int(c.bytesForwarded)),
                           .init(outcome: "dropped: lost with the connection", count: Int(c.bytesLost)),
                           .init(outcome: "dropped: fault injected", count: Int(c.bytesDroppedByFault))],
                pending: max(0, Int(c.bytesWritten) - Int(c.bytesForwarded) - Int(c.bytesLost) - Int(c.bytesDroppedByFault)))
        }
    }

    private func conservationVerdict(_ ledgers: [ConservationLedger]) -> InvariantVerdict {
        if let first = ledgers.first(where: { !$0.balances }) {
            return InvariantVerdict(name: "conservation", status: .violated,
                                    detail: "\(first.component): \(first.entered) \(first.unit) in, \(first.accounted) accounted for")
        }
        return InvariantVerdict(name: "conservation", status: .holds,
                                detail: "\(ledgers.count) ledgers of Lockstep's side balance (QEMU's internals are not counted from outside)")
    }

    /// Every record QEMU's compares released was the next one the shadow compare released
    /// when fed the same records.
    private func compareExplainedVerdict() -> InvariantVerdict {
        let name = "compare_explained"
        if let observer = compares.first(where: { $0.firstDisagreement != nil }), let first = observer.firstDisagreement {
            return InvariantVerdict(name: name, status: .violated,
                                    detail: "\(observer.disagreements) release(s) Lockstep's compare would not have made then; first: \(first)")
        }
        let agreed = compares.reduce(0) { $0 + $1.agreements }
        return InvariantVerdict(name: name, status: compares.isEmpty ? .notChecked : .holds,
                                detail: "each of \(agreed) release(s) by QEMU was the next one Lockstep's compare made on the same input records")
    }
}
