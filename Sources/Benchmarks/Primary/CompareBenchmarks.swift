import Fabric
import GuestStack
import Primary
import Deployment

/// In-process throughput workloads for the compare engine. Building a workload (frames) is
/// separate from running it, so a timer can wrap only `run…`; each run uses a fresh compare, so
/// a workload can be run repeatedly. Each run returns its work count.
public enum CompareBenchmarks {
    // MARK: UDP matched pairs

    public struct UDPWorkload: Sendable {
        public let primary: [Frame]
        public let secondary: [Frame]
        public let pairs: Int
    }

    /// `flows` UDP flows with `payloadBytes`-byte payloads; identical frames on both sides
    /// except the IP identification and TTL (which UDP comparison ignores, C-15).
    public static func makeUDPWorkload(pairs: Int = 1_000_000, flows: Int = 64, payloadBytes: Int = 64) -> UDPWorkload {
        var primary: [Frame] = []
        var secondary: [Frame] = []
        for flow in 0..<max(1, flows) {
            var builder = IPv4FrameBuilder(source: HostNetwork.guestAddress, destination: IPv4Address(10, 0, 1, UInt8(truncatingIfNeeded: flow)))
            let payload = (0..<payloadBytes).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ flow) }
            builder.identification = 1
            primary.append(builder.udp(sourcePort: 4000 + UInt16(flow), destinationPort: 53, payload: payload))
            builder.identification = 2
            builder.ttl = 63
            secondary.append(builder.udp(sourcePort: 4000 + UInt16(flow), destinationPort: 53, payload: payload))
        }
        return UDPWorkload(primary: primary, secondary: secondary, pairs: pairs)
    }

    /// Feeds each pair primary-then-secondary, round-robin over the flows, one millisecond of
    /// engine time per 1000 pairs (so the timeout scan runs too). Returns the primaries released
    /// as matched.
    public static func runUDPMatchedPairs(_ workload: UDPWorkload, profile: CompareProfile = .upstream) -> Int {
        var compare = COLOCompare(configuration: COLOCompare.Configuration(profile: profile), nowMs: 0)
        var actions: [CompareAction] = []
        actions.reserveCapacity(16)
        let flows = workload.primary.count
        var matched = 0
        var now: Int64 = 0
        var flow = 0
        for pair in 0..<workload.pairs {
            if pair % 1000 == 0 {
                now += 1
                compare.advanceTime(toMs: now, into: &actions)
            }
            compare.receivePrimary(workload.primary[flow], nowMs: now, into: &actions)
            compare.receiveSecondary(workload.secondary[flow], nowMs: now, into: &actions)
            matched += route(&actions)
            flow += 1
            if flow == flows { flow = 0 }
        }
        return matched
    }

    // MARK: TCP resegmentation

    public struct TCPWorkload: Sendable {
        public enum Step: Sendable {
            case primary(Int)
            case secondary(Int)
        }

        public let primary: [Frame]
        public let secondary: [Frame]
        /// Arrival order: each primary segment, then the secondary segments that start before
        /// its end.
        public let steps: [Step]
        public var payloadBytes: Int { primary.count * segmentBytes }
        let segmentBytes: Int
    }

    /// One TCP stream of `segments` × `segmentBytes` bytes: the primary sends full segments, the
    /// secondary the same bytes cut into 1000, 1896, 724 and 2172-byte pieces (every 4 primary
    /// segments the two cuts meet again), so most comparisons take the partial paths of C-11.
    public static func makeTCPResegmentedWorkload(segments: Int = 10_000, segmentBytes: Int = 1448) -> TCPWorkload {
        let total = segments * segmentBytes
        let stream = (0..<total).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
        let builder = IPv4FrameBuilder(source: HostNetwork.guestAddress, destination: HostNetwork.clientAddress)
        let isn: UInt32 = 0x1234_0000
        func segment(_ start: Int, _ length: Int) -> Frame {
            builder.tcp(sourcePort: 80, destinationPort: 40_000, seq: isn &+ UInt32(truncatingIfNeeded: start), ack: 1,
                        flags: [.ack, .psh], payload: Array(stream[start..<start + length]))
        }
        let primary = stride(from: 0, to: total, by: segmentBytes).map { segment($0, min(segmentBytes, total - $0)) }
        var secondaryStarts: [Int] = []
        var secondary: [Frame] = []
        let cuts = [1000, 1896, 724, 2172]
        var position = 0
        var cut = 0
        while position < total {
            let length = min(cuts[cut % cuts.count], total - position)
            secondaryStarts.append(position)
            secondary.append(segment(position, length))
            position += length
            cut += 1
        }
        var steps: [TCPWorkload.Step] = []
        var next = 0
        for index in primary.indices {
            steps.append(.primary(index))
            let end = (index + 1) * segmentBytes
            while next < secondary.count, secondaryStarts[next] < end {
                steps.append(.secondary(next))
                next += 1
            }
        }
        return TCPWorkload(primary: primary, secondary: secondary, steps: steps, segmentBytes: segmentBytes)
    }

    /// Runs the stream through a fresh compare; returns the primary segments released as matched.
    public static func runTCPResegmented(_ workload: TCPWorkload, profile: CompareProfile = .upstream) -> Int {
        var compare = COLOCompare(configuration: COLOCompare.Configuration(profile: profile), nowMs: 0)
        var actions: [CompareAction] = []
        actions.reserveCapacity(16)
        var matched = 0
        for step in workload.steps {
            switch step {
            case .primary(let index): compare.receivePrimary(workload.primary[index], nowMs: 0, into: &actions)
            case .secondary(let index): compare.receiveSecondary(workload.secondary[index], nowMs: 0, into: &actions)
            }
            matched += route(&actions)
        }
        return matched
    }

    /// Consumes the actions the way a host routes them (the daemon's `perform`): each action is
    /// read in place, never copied (a copy retains the frame a write carries), and the buffer is
    /// then emptied keeping its capacity, so the next input appends without allocating. Returns
    /// the primaries released as matched.
    @inline(__always)
    private static func route(_ actions: inout [CompareAction]) -> Int {
        var count = 0
        for index in actions.indices {
            if case .event(.release(let release)) = actions[index], case .matched = release.reason { count += 1 }
        }
        actions.removeAll(keepingCapacity: true)
        return count
    }
}
