import Fabric
import Primary
import Deployment
import COLORuntime

/// One kind of decision of a run, in the order it was taken: what is compared between an
/// emulated and a real-QEMU run. Each item has a key (what must be equal), the run time it
/// happened at (shown, never compared) and the run's own explanation of it.
struct DecisionTrack: Sendable, Hashable {
    struct Item: Sendable, Hashable {
        var key: String
        var time: VirtualTime
        var explanation: String
    }

    var name: String
    var items: [Item]
}

/// The tracks a run's report gives:
///
/// - `checkpoints`: each checkpoint's reason token, in order;
/// - `failovers`: which host failed over, in order;
/// - `releases <flow>`: per flow, the frames the compares released (as the filter reading the
///   compare's output injected them), by relative sequence number, length and flags: the order
///   within a flow is compared, the interleaving of flows is left to the clocks;
/// - `client`: per connection, the bytes the client read, its exchanges and error; the UDP
///   queries answered;
/// - `invariants`: each invariant's verdict (determinism and compare_explained aside, which only
///   one kind of run has).
enum DecisionTracks {
    static func extract(_ report: RunReport, topology: Topology) -> [DecisionTrack] {
        [checkpoints(report), failovers(report)] + releases(report, topology: topology) + [client(report), invariants(report)]
    }

    private static func checkpoints(_ report: RunReport) -> DecisionTrack {
        DecisionTrack(name: "checkpoints", items: report.checkpoints.map { record in
            DecisionTrack.Item(key: record.trigger.token, time: record.requestedAt,
                               explanation: "checkpoint #\(record.number): \(record.trigger.explanation)")
        })
    }

    private static func failovers(_ report: RunReport) -> DecisionTrack {
        DecisionTrack(name: "failovers", items: report.controllerEvents.compactMap { item in
            guard case let .failover(role, detail) = item.event else { return nil }
            return DecisionTrack.Item(key: role.rawValue, time: item.time, explanation: "\(role) failover: \(detail)")
        })
    }

    /// Filters that read a compare's outdev on the primary (their injections are releases).
    static func releaseReaders(_ topology: Topology) -> Set<String> {
        var readers: Set<String> = []
        let pairing = topology.pairing
        for compare in topology.primary.compares {
            guard let outdev = compare.outdev,
                  let peer = pairing.peer(of: ChardevEndpoint(host: .primary, chardev: outdev)) else { continue }
            for role in topology[peer.host].frontends(ofChardev: peer.chardev) where role.reads { readers.insert(role.ownerID) }
        }
        return readers
    }

    private static func releases(_ report: RunReport, topology: Topology) -> [DecisionTrack] {
        guard let log = report.fullLog else { return [] }
        let readers = releaseReaders(topology)
        var keys = ReleasedFrameKeys()
        var flows: [String: [DecisionTrack.Item]] = [:]
        var order: [String] = []
        var decisions = log.compactMap { entry -> (VirtualTime, CompareDecision)? in
            if case .compare(let decision) = entry.event, case .release = decision, entry.host == .primary { (entry.time, decision) } else { nil }
        }[...]
        for entry in log where entry.host == .primary {
            guard case .net(.injectionStarted(_, let filter, _, _, let frame)) = entry.event, readers.contains(filter) else { continue }
            let (flow, key) = keys.key(frame)
            var explanation = "\(PacketSummary.describe(frame)) reached \(filter)"
            if let (time, decision) = decisions.popFirst() {
                explanation += "; the compare's release at \(time): " + CompareTextReport.describe(decision).joined(separator: " ")
            }
            if flows[flow] == nil { order.append(flow) }
            flows[flow, default: []].append(DecisionTrack.Item(key: key, time: entry.time, explanation: explanation))
        }
        return order.map { DecisionTrack(name: "releases \($0)", items: flows[$0] ?? []) }
    }

    private static func client(_ report: RunReport) -> DecisionTrack {
        let w = report.workload
        var items = [
            DecisionTrack.Item(key: "\(w.connectionsCompleted)/\(w.connections) connections complete", time: report.endTime,
                               explanation: "\(w.requestsCompleted)/\(w.requestsExpected) exchanges"),
            DecisionTrack.Item(key: "\(w.clientBytesReceived) bytes received", time: report.endTime,
                               explanation: "client sent \(w.clientBytesSent) bytes"),
            DecisionTrack.Item(key: "\(w.connectionErrors) connection errors", time: report.endTime, explanation: "connections that ended in an error"),
        ]
        if w.datagramQueriesSent > 0 {
            items.append(DecisionTrack.Item(key: "\(w.datagramQueriesAnswered) UDP queries answered", time: report.endTime,
                                            explanation: "\(w.datagramQueriesSent) sent"))
        }
        if w.guestRequestsCompleted > 0 || w.guestConnectionErrors > 0 {
            items.append(DecisionTrack.Item(key: "\(w.guestRequestsCompleted) guest exchanges, \(w.guestConnectionErrors) errors",
                                            time: report.endTime, explanation: "the primary guest's own connections"))
        }
        return DecisionTrack(name: "client", items: items)
    }

    /// Whether each invariant was violated: "holds" and "not checked" (nothing to check, e.g.
    /// no checkpoint was loaded) both count as not violated.
    private static func invariants(_ report: RunReport) -> DecisionTrack {
        DecisionTrack(name: "invariants", items: report.invariants.filter { !["determinism", "compare_explained"].contains($0.name) }.map { verdict in
            DecisionTrack.Item(key: "\(verdict.name) \(verdict.status == .violated ? "violated" : "not violated")",
                               time: report.endTime, explanation: "\(verdict.status.rawValue): \(verdict.detail)")
        })
    }
}
