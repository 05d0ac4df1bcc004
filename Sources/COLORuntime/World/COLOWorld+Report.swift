import Fabric
import Primary
import Secondary
import Deployment

extension COLOWorld {
    /// The report of a finished run (the determinism verdict is filled in by the caller that
    /// ran it twice).
    package func report(stop: RunStopReason) -> RunReport {
        let workload = WorkloadSummary(client: client, primaryGuest: primary.guest, workload: configuration.workload)
        var hash = log.hash
        hash.combine(scheduler.traceHash)
        let ledgers = conservationLedgers()
        return RunReport(
            seed: configuration.seed,
            topology: topologyLines(),
            duration: configuration.duration,
            endTime: scheduler.now,
            stopReason: stop,
            workload: workload,
            baseline: nil,
            traffic: traffic(),
            checkpoints: controller.records,
            invariants: [
                monitor.verdict(),
                streamVerdict(),
                conservationVerdict(ledgers),
                InvariantVerdict.secondaryEqualsPrimary(after: controller.records),
                InvariantVerdict(name: "determinism", status: .notChecked, detail: "run twice (--check-determinism) to compare trace hashes"),
            ],
            ledgers: ledgers,
            notableEvents: log.notable,
            fullLog: log.keepsAll ? log.entries : nil,
            schedulerEvents: scheduler.executedEvents,
            logEntries: log.entryCount,
            hops: hops,
            traceHash: hash.value)
    }

    var hops: Int {
        let records = pipes.reduce(0) { $0 + Int($1.pipe.counters.decoder.framesDelivered) }
        return log.netHops + records + lan.counters.deliveredToTaps + lan.counters.deliveredToClient
    }

    private func topologyLines() -> [String] {
        HostRole.allCases.map { role in
            let runtime = host(role)
            let chains = runtime.core.clients.filter { $0.role == .netdev }.map { netdev in
                "\(netdev.name) [\(netdev.filters.map(\.id).joined(separator: ", "))]"
            }
            let compares = runtime.compares.map(\.id)
            return "\(role): " + (chains + compares).joined(separator: "; ")
        }
    }

    private func traffic() -> TrafficSummary {
        var summary = TrafficSummary()
        summary.clientFramesSent = client.framesOut
        summary.clientFramesReceived = client.framesIn
        for role in HostRole.allCases {
            let runtime = host(role)
            var figures = TrafficSummary.Host()
            let counters = runtime.core.counters
            figures.walks = counters.walks
            figures.delivered = counters.delivered
            figures.stolen = counters.stolen
            figures.dropped = counters.totalDropped
            figures.guestFramesIn = runtime.guest.counters.framesIn
            figures.guestFramesRefused = runtime.guest.counters.refusedWhileStopped + runtime.guest.counters.refusedWithoutBuffer
            figures.guestFramesOut = runtime.guest.counters.framesOut
            figures.guestStackDrops = runtime.guest.host.stack.counters.totalDrops
            figures.tapFramesRead = runtime.taps.reduce(0) { $0 + $1.counters.read }
            figures.tapFramesTransmitted = runtime.taps.reduce(0) { $0 + $1.counters.transmitted }
            figures.mainLoopWedges = runtime.mainLoop.wedges
            figures.mainLoopWedgedAtEnd = runtime.mainLoop.isWedged
            if role == .primary { summary.primary = figures } else { summary.secondary = figures }
            for node in runtime.compares {
                let c = node.counters
                summary.compares.append(TrafficSummary.Compare(
                    id: node.id, primaryRecords: c.primaryRecords, secondaryRecords: c.secondaryRecords, released: c.released,
                    primaryDropped: c.primaryDropped, secondaryDropped: c.secondaryDropped, checkpointRequests: c.checkpointRequestEvents,
                    framingErrors: c.framingErrors, releasedUnparsed: c.releasedUnparsed, droppedUnparsed: c.droppedUnparsed))
            }
            for (id, rewriter) in runtime.rewriters {
                summary.rewriters.append(TrafficSummary.Rewriter(
                    id: id, framesSeen: rewriter.statistics.framesSeen, rewritten: rewriter.node.engine.counters.rewritten,
                    copiesHeld: rewriter.heldCopies, inFailoverMode: rewriter.node.engine.isInFailoverMode,
                    tableEntries: rewriter.node.engine.table.count, entriesRemoved: rewriter.node.engine.counters.entriesRemoved))
            }
        }
        summary.pipes = pipes.map { link in
            TrafficSummary.Pipe(name: "\(link.writer) -> \(link.reader)", records: Int(link.pipe.counters.decoder.framesDelivered),
                                bytes: link.pipe.counters.bytesDelivered)
        }
        return summary
    }

    // MARK: Invariants

    private func streamVerdict() -> InvariantVerdict {
        var verdict = StreamCheck(world: self).verdict()
        if verdict.status == .violated { verdict.failedAfterEntries = firstStreamProblemLogPosition }
        return verdict
    }

    private func conservationVerdict(_ ledgers: [ConservationLedger]) -> InvariantVerdict {
        let unbalanced = ledgers.filter { !$0.balances }
        if let first = unbalanced.first {
            return InvariantVerdict(
                name: "conservation", status: .violated,
                detail: "\(unbalanced.count) ledger(s) do not balance; first: \(first.component): \(first.entered) \(first.unit) in, \(first.accounted) accounted for")
        }
        let drops = ledgers.flatMap { ledger in
            ledger.outcomes.filter { $0.count > 0 && $0.outcome.hasPrefix("dropped") }.map { "\(ledger.component) \($0.outcome): \($0.count)" }
        }
        let pending = ledgers.filter { $0.pending > 0 }.map { "\($0.component): \($0.pending) \($0.unit)" }
        return InvariantVerdict(
            name: "conservation", status: .holds,
            detail: "\(ledgers.count) ledgers balance" + (drops.isEmpty ? "; nothing dropped" : "; " + drops.joined(separator: "; "))
                + (pending.isEmpty ? "" : "; still inside at the end: " + pending.joined(separator: ", ")))
    }

    // MARK: Conservation

    func conservationLedgers() -> [ConservationLedger] {
        var ledgers: [ConservationLedger] = []
        for role in HostRole.allCases {
            let runtime = host(role)
            let counters = runtime.core.counters
            // Walks waiting in a blocked write are pending too.
            let queued = runtime.core.clients.reduce(0) { $0 + $1.queuedFrameCount } + runtime.core.suspendedWalks
            var outcomes = [ConservationLedger.Line(outcome: "delivered", count: counters.delivered),
                            ConservationLedger.Line(outcome: "stolen by a filter", count: counters.stolen)]
            outcomes += counters.nonZeroDrops.map { ConservationLedger.Line(outcome: "dropped: \($0.reason)", count: $0.count) }
            ledgers.append(ConservationLedger(component: "\(role) net core", unit: "walks", entered: counters.walks, outcomes: outcomes, pending: queued))
            for tap in runtime.taps {
                let c = tap.counters
                ledgers.append(ConservationLedger(
                    component: "\(role) tap \(tap.name)", unit: "frames from the network", entered: c.arrived,
                    outcomes: [.init(outcome: "read by QEMU", count: c.read),
                               .init(outcome: "dropped: kernel queue full", count: c.hostQueueFull),
                               .init(outcome: "dropped: host lost", count: c.hostDown)],
                    pending: tap.waiting))
            }
            for node in runtime.compares {
                let c = node.counters
                ledgers.append(ConservationLedger(
                    component: "\(role) \(node.id)", unit: "records", entered: c.primaryRecords + c.secondaryRecords + c.recordsAfterStop,
                    outcomes: [.init(outcome: "released", count: c.released),
                               .init(outcome: "dropped: primary records", count: c.primaryDropped),
                               .init(outcome: "secondary records consumed (compared, flushed or unparseable)", count: c.secondaryDropped),
                               .init(outcome: "dropped: arrived after the compare stopped", count: c.recordsAfterStop)],
                    pending: node.engine.queuedPrimaryCount + node.engine.queuedSecondaryCount))
                // Releases still in the send queue wait for a reader that makes room (C-24).
                ledgers.append(ConservationLedger(
                    component: "\(role) \(node.id) outdev", unit: "releases", entered: c.released,
                    outcomes: [.init(outcome: "written", count: c.outdevRecordsWritten),
                               .init(outcome: "dropped: write failed", count: c.outdevWritesFailed)],
                    pending: node.engine.pendingOutputCount))
            }
            for (id, rewriter) in runtime.rewriters {
                let s = rewriter.statistics
                ledgers.append(ConservationLedger(
                    component: "\(role) \(id)", unit: "frames", entered: s.framesSeen,
                    outcomes: [.init(outcome: "passed on the walk", count: s.framesPassed),
                               .init(outcome: "copy sent on after the rewriter", count: s.copiesDelivered),
                               .init(outcome: "dropped: private queue full", count: s.copiesDropped)],
                    pending: rewriter.heldCopies))
            }
            if runtime.recordsWithoutFrontend > 0 {
                ledgers.append(ConservationLedger(
                    component: "\(role) deleted redirectors", unit: "records", entered: runtime.recordsWithoutFrontend,
                    outcomes: [.init(outcome: "dropped: frontend deleted", count: runtime.recordsWithoutFrontend)], pending: 0))
            }
        }
        for link in pipes {
            let c = link.pipe.counters
            ledgers.append(ConservationLedger(
                component: "pipe \(link.writer) -> \(link.reader)", unit: "bytes", entered: Int(c.bytesWritten),
                outcomes: [.init(outcome: "read", count: Int(c.bytesDelivered)),
                           .init(outcome: "dropped: lost with the connection", count: Int(c.bytesLost)),
                           .init(outcome: "dropped: fault injected", count: Int(c.bytesDroppedByFault))],
                pending: link.pipe.inFlightBytes))
            let reader = link.pipe.readerRecordCount
            ledgers.append(ConservationLedger(
                component: "pipe \(link.writer) -> \(link.reader) reader"
                    + (reader.checkedUntil.map { " (counted until \($0.rawValue))" } ?? ""),
                unit: "records read whole", entered: Int(reader.recordsRead),
                outcomes: [.init(outcome: "decoded into one frame", count: Int(reader.framesDecoded))],
                pending: reader.heldZeroLength))
        }
        ledgers += lan.ledgers()
        return ledgers
    }
}
