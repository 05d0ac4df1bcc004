import Fabric
import Primary
import Secondary
import Deployment
import COLORuntime

/// Follows one frame through a run's log. A frame is identified by its bytes: the copy a
/// mirror writes, the record a compare releases and the frame a redirector injects are the same
/// bytes, so each next walk is the first later injection of equal bytes on the receiving host.
/// A rewriter's injection may carry rewritten bytes; it is found as the injection the rewriter
/// made while it held the followed walk.
public struct FrameWalker {
    let entries: [RunLogEntry]
    let topology: Topology

    public init(entries: [RunLogEntry], topology: Topology) {
        self.entries = entries
        self.topology = topology
    }

    public func walk(_ selector: FrameSelector) throws(FrameWalkError) -> FrameWalk {
        let starts = startIndices(selector)
        let ordinal: Int
        switch selector {
        case .client(let n), .guest(let n): ordinal = n
        case .matching: ordinal = 1
        }
        guard ordinal >= 1, ordinal <= starts.count else {
            throw .noSuchFrame(selector, available: starts.count)
        }
        let start = starts[ordinal - 1]
        var hops: [(index: Int, order: Int, hop: WalkHop)] = []
        var pending = [start]
        var visited: [Int] = []
        while let first = pending.first {
            pending.removeFirst()
            guard !visited.contains(first) else { continue }
            visited.append(first)
            let (walkHops, next) = follow(from: first)
            hops += walkHops
            pending += next
        }
        hops.sort { ($0.index, $0.order) < ($1.index, $1.order) }
        let title: String
        switch selector {
        case .client(let n): title = "client frame #\(n): \(summary(at: start))"
        case .guest(let n): title = "guest frame #\(n): \(summary(at: start))"
        case .matching(let text): title = "first frame matching \"\(text)\": \(summary(at: start))"
        }
        return FrameWalk(title: title, hops: hops.map(\.hop))
    }

    // MARK: Finding frames

    private func startIndices(_ selector: FrameSelector) -> [Int] {
        entries.indices.filter { index in
            let entry = entries[index]
            guard entry.host == .primary, case .net(.sendStarted(_, let sender, let frame)) = entry.event else { return false }
            switch selector {
            case .client: return topology.primary.netdev(sender) != nil
            case .guest: return topology.primary.netdev(sender) == nil
            case .matching(let text): return PacketSummary.describe(frame).contains(text)
            }
        }
    }

    private func summary(at index: Int) -> String {
        switch entries[index].event {
        case .net(.sendStarted(_, _, let frame)), .net(.injectionStarted(_, _, _, _, let frame)):
            PacketSummary.describe(frame)
        default:
            "?"
        }
    }

    private func frame(at index: Int) -> Frame? {
        switch entries[index].event {
        case .net(.sendStarted(_, _, let frame)), .net(.injectionStarted(_, _, _, _, let frame)): frame
        default: nil
        }
    }

    /// First injection of `bytes` on `host` after `index`.
    private func injection(of bytes: Frame, on host: HostRole, after index: Int) -> Int? {
        var position = index + 1
        while position < entries.count {
            let entry = entries[position]
            if entry.host == host, case .net(.injectionStarted(_, _, _, _, let frame)) = entry.event, frame == bytes {
                return position
            }
            position += 1
        }
        return nil
    }

    // MARK: Following one walk

    /// The hops of the walk started at `start`, and the starts of the walks that carry the frame on.
    private func follow(from start: Int) -> ([(index: Int, order: Int, hop: WalkHop)], [Int]) {
        guard let host = entries[start].host, case .net(let first) = entries[start].event, let walk = first.walk,
              let bytes = frame(at: start) else { return ([], []) }
        var hops: [(index: Int, order: Int, hop: WalkHop)] = []
        var next: [Int] = []
        var previous = start
        func add(_ index: Int, _ component: ComponentID, _ text: String, order: Int = 0) {
            hops.append((index, order, WalkHop(time: entries[index].time, component: component, text: text)))
        }
        for index in start..<entries.count {
            let entry = entries[index]
            guard entry.host == host, case .net(let event) = entry.event, event.walk == walk else { continue }
            switch event {
            case let .sendStarted(_, sender, frame):
                if topology[host].netdev(sender) != nil {
                    add(index, .netdev(host, id: sender), "tap \(sender) received it from the network: \(PacketSummary.describe(frame)) (\(frame.count) bytes)")
                } else {
                    add(index, nic(host, sender), "guest NIC \(sender) sent it: \(PacketSummary.describe(frame)) (\(frame.count) bytes)")
                }
            case let .injectionStarted(_, filter, _, direction, frame):
                let way = direction.map { $0 == .tx ? "towards the guest (tx)" : "towards the network (rx)" } ?? "without a direction"
                add(index, .filter(host, id: filter), "\(filter) injected it \(way): \(PacketSummary.describe(frame))")
            case let .filterSkipped(_, filter, _, reason):
                add(index, .filter(host, id: filter), "\(filter) does not see it: \(reason)")
            case let .filterPassed(_, filter, _):
                let decisions = rewriterDecisions(host: host, filter: filter, between: previous, and: index)
                add(index, .filter(host, id: filter), decisions.isEmpty ? "\(filter) let it pass" : "\(filter) let it pass: \(decisions)")
            case let .filterCopied(_, filter, _, output):
                add(index, .filter(host, id: filter), "\(filter) copied it to \(destination(output))")
                if let (link, peer) = pipe(host: host, output: output) {
                    add(index, link, "the copy travels the pipe \(output.destination.replacingChardevPrefix) to the \(peer)", order: 1)
                    if let injected = injection(of: bytes, on: peer, after: index) { next.append(injected) }
                }
            case let .filterStole(_, filter, _, _, output):
                stolen(index: index, previous: previous, host: host, filter: filter, output: output, bytes: bytes,
                       add: add, next: &next)
            case let .queued(_, client, depth, reason):
                add(index, endpoint(host, client), "it waits in \(client)'s queue (depth \(depth), \(reason.rawValue))")
            case let .delivered(_, client, _):
                if topology[host].netdev(client) != nil {
                    add(index, .netdev(host, id: client), "delivered to tap \(client): it leaves \(host) for the network")
                } else {
                    add(index, nic(host, client), "delivered to the \(host) guest's NIC \(client)")
                }
            case let .dropped(_, reason, client):
                add(index, client.map { endpoint(host, $0) } ?? .host(host), "dropped: \(reason.rawValue)")
            default:
                break
            }
            previous = index
            if event.isTerminal { break }
        }
        return (hops, next)
    }

    private func stolen(index: Int, previous: Int, host: HostRole, filter: String, output: FilterOutput, bytes: Frame,
                        add: (Int, ComponentID, String, Int) -> Void, next: inout [Int]) {
        let component = ComponentID.filter(host, id: filter)
        guard output.destination.hasPrefix("chardev ") else {
            // A rewriter took it; its re-injection (maybe rewritten) is the next walk.
            let decisions = rewriterDecisions(host: host, filter: filter, between: previous, and: index)
            let text = "\(filter) took it" + (decisions.isEmpty ? "" : ": \(decisions)")
            if let injected = rewriterInjection(host: host, filter: filter, between: previous, and: index) {
                // Logged after the re-injection it caused; shown before it.
                add(injected, component, text, -1)
                next.append(injected)
            } else {
                add(index, component, text, 0)
                add(index, component, "\(filter) holds it in its queue", 1)
            }
            return
        }
        add(index, component, "\(filter) stole it and wrote it to \(destination(output))", 0)
        guard let (link, peer) = pipe(host: host, output: output) else { return }
        add(index, link, "it travels the pipe \(output.destination.replacingChardevPrefix) to the \(peer)", 1)
        if let compare = compareReading(link: link, peer: peer) {
            compared(index: index, host: host, filter: filter, output: output, compare: compare, bytes: bytes, add: add, next: &next)
        } else if let injected = injection(of: bytes, on: peer, after: index) {
            next.append(injected)
        }
    }

    private func compared(index: Int, host: HostRole, filter: String, output: FilterOutput,
                          compare: (host: HostRole, id: String, primary: Bool), bytes: Frame,
                          add: (Int, ComponentID, String, Int) -> Void, next: inout [Int]) {
        let component = ComponentID.compare(compare.host, id: compare.id)
        // The compare numbers each side's records from 0 in arrival order, which is write order.
        let ordinal = entries[..<index].filter { entry in
            guard entry.host == host, case .net(.filterStole(_, let f, _, _, let o)) = entry.event else { return false }
            return f == filter && o.destination == output.destination
        }.count
        let side = compare.primary ? "primary" : "secondary"
        add(index, component, "\(compare.id) queues it as \(side) packet #\(ordinal)", 2)
        for position in index..<entries.count {
            let entry = entries[position]
            guard entry.host == compare.host, entry.source == compare.id, case .compare(let event) = entry.event else { continue }
            switch event {
            case .release(let release) where compare.primary && release.primaryIndex == ordinal:
                let waited = entry.time - entries[index].time
                if case .matched = release.reason {
                    add(position, component, "\(compare.id) held it \(waited.nanoseconds / 1_000) us waiting for the secondary", 0)
                }
                add(position, component, "\(compare.id) " + Self.describe(release.reason), 1)
                if let injected = injection(of: bytes, on: compare.host, after: position) { next.append(injected) }
                return
            case .drop(let drop) where drop.side == (compare.primary ? .primary : .secondary) && drop.index == ordinal:
                add(position, component, "\(compare.id) dropped it: \(drop.reason.token)", 0)
                return
            default:
                continue
            }
        }
        add(index, component, "\(compare.id) still holds it when the run ends", 3)
    }

    static func describe(_ reason: ReleaseReason) -> String {
        switch reason {
        case .matched(let secondary, _): "released it after matching secondary packet #\(secondary)"
        case .unparseable(let why): "released it at once: not parseable (\(why)), never compared (C-3)"
        case .retransmission: "released it at once: a retransmission of data already compared (C-10)"
        case .noPayload: "released it: no payload, and a secondary packet of its connection is queued (C-10)"
        case .checkpointFlush: "released it in a checkpoint flush (C-20)"
        default: "released it (\(reason))"
        }
    }

    private func rewriterDecisions(host: HostRole, filter: String, between start: Int, and end: Int) -> String {
        entries[start...end].compactMap { entry -> String? in
            guard entry.host == host, entry.source == filter, case .rewriter(let event) = entry.event else { return nil }
            return RewriteReport.describe(event)
        }.joined(separator: "; ")
    }

    private func rewriterInjection(host: HostRole, filter: String, between start: Int, and end: Int) -> Int? {
        (start...end).first { position in
            let entry = entries[position]
            guard entry.host == host, case .net(.injectionStarted(_, let f, _, _, _)) = entry.event else { return false }
            return f == filter
        }
    }

    // MARK: Components

    private func nic(_ host: HostRole, _ name: String) -> ComponentID {
        let index = topology[host].nics.firstIndex { $0.id == name || $0.netdev == name } ?? 0
        return .nic(host, index: index)
    }

    private func endpoint(_ host: HostRole, _ client: String) -> ComponentID {
        topology[host].netdev(client) != nil ? .netdev(host, id: client) : nic(host, client)
    }

    private func destination(_ output: FilterOutput) -> String {
        output.destination.replacingChardevPrefix
    }

    /// The pipe a chardev output writes into, and the host at its other end.
    private func pipe(host: HostRole, output: FilterOutput) -> (ComponentID, HostRole)? {
        let chardev = output.destination.replacingChardevPrefix
        for link in topology.links {
            if link.server.host == host, link.server.chardev == chardev { return (.link(link), link.client.host) }
            if link.client.host == host, link.client.chardev == chardev { return (.link(link), link.server.host) }
        }
        return nil
    }

    /// The compare reading the far end of `link`, and whether that end is its primary_in.
    private func compareReading(link: ComponentID, peer: HostRole) -> (host: HostRole, id: String, primary: Bool)? {
        guard case .link(let server, let client) = link else { return nil }
        for end in [server, client] where end.host == peer {
            for compare in topology[peer].compares {
                if compare.primaryIn == end.chardev { return (peer, compare.id, true) }
                if compare.secondaryIn == end.chardev { return (peer, compare.id, false) }
            }
        }
        return nil
    }
}

extension String {
    var replacingChardevPrefix: String {
        hasPrefix("chardev ") ? String(dropFirst("chardev ".count)) : self
    }
}
