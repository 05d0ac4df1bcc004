import Fabric
import Primary
import Deployment
import COLORuntime

/// A ladder diagram of a run: one column per party, time downward, one row per message.
public struct Ladder: Sendable, Hashable {
    public enum Column: Int, Sendable, Hashable, CaseIterable {
        case client, tap, compare, primaryGuest, secondaryGuest

        public var title: String {
            switch self {
            case .client: "client"
            case .tap: "tap"
            case .compare: "compare"
            case .primaryGuest: "primary guest"
            case .secondaryGuest: "secondary guest"
            }
        }
    }

    public enum Mark: Sendable, Hashable {
        /// A frame moved from one column to another.
        case message(from: Column, to: Column)
        /// The compare kept a primary frame back.
        case hold
        /// The compare let a primary frame go out.
        case release
        /// Something happened in one column (a checkpoint request, a drop).
        case note(Column)
        /// A checkpoint starts or ends: drawn across every column.
        case checkpointStart(Int)
        case checkpointEnd(Int)
    }

    public struct Row: Sendable, Hashable {
        public var time: VirtualTime
        public var mark: Mark
        public var label: String
    }

    public var rows: [Row]
    /// Rows left out past `maximumRows`.
    public var omitted: Int

    /// The ladder of `entries` between `from` and `to` (inclusive), at most `maximumRows` rows.
    public init(entries: [RunLogEntry], topology: Topology, from: VirtualTime = .zero, to: VirtualTime? = nil,
                maximumRows: Int = 400) {
        var rows: [Row] = []
        var omitted = 0
        for entry in entries where entry.time >= from && (to.map { entry.time <= $0 } ?? true) {
            guard let row = Self.row(entry, topology: topology) else { continue }
            if rows.count < maximumRows { rows.append(row) } else { omitted += 1 }
        }
        self.rows = rows
        self.omitted = omitted
    }

    static func row(_ entry: RunLogEntry, topology: Topology) -> Row? {
        func row(_ mark: Mark, _ label: String) -> Row { Row(time: entry.time, mark: mark, label: label) }
        switch entry.event {
        case .lan(.clientSent(let bytes)):
            return row(.message(from: .client, to: .tap), "client sends \(bytes) bytes")
        case .lan(.arrivedAtClient(let bytes)):
            return row(.message(from: .tap, to: .client), "\(bytes) bytes reach the client")
        case let .net(.sendStarted(_, sender, frame)):
            guard let host = entry.host, topology[host].netdev(sender) == nil else { return nil }
            let from: Column = host == .primary ? .primaryGuest : .secondaryGuest
            return row(.message(from: from, to: .compare), PacketSummary.describe(frame))
        case let .net(.delivered(_, client, _)):
            guard let host = entry.host, topology[host].netdev(client) == nil else { return nil }
            return row(.message(from: .tap, to: host == .primary ? .primaryGuest : .secondaryGuest),
                       host == .primary ? "to the primary guest" : "mirrored copy to the secondary guest")
        case .compare(.release(let release)):
            return row(.release, "release primary #\(release.primaryIndex): \(release.reason.shortText)")
        case .compare(.checkpointRequest(let request)):
            return row(.note(.compare), "checkpoint request: \(request.reason.token)")
        case .controller(.checkpointStarted(let number, let trigger)):
            return row(.checkpointStart(number), "checkpoint \(number) starts (\(trigger.token))")
        case .controller(.primaryStarted(let number, let pause)):
            return row(.checkpointEnd(number), "checkpoint \(number) ends: primary ran again after \(pause.nanoseconds / 1_000) us")
        case .controller(.failover(let role, _)):
            return row(.note(role == .primary ? .primaryGuest : .secondaryGuest), "failover")
        default:
            return nil
        }
    }
}

extension ReleaseReason {
    var shortText: String {
        switch self {
        case .matched(let secondary, _): "matched secondary #\(secondary)"
        case .unparseable: "not parseable, not compared"
        case .retransmission: "retransmission"
        case .noPayload: "no payload"
        case .checkpointFlush: "checkpoint flush"
        default: token
        }
    }
}
