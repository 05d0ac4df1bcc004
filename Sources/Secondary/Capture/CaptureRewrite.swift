import Fabric

/// A frame with its capture timestamp in microseconds (absolute, as stored in the capture).
public struct TimedFrame: Sendable, Hashable {
    public var timestampMicroseconds: UInt64
    public var frame: Frame

    public init(timestampMicroseconds: UInt64, frame: Frame) {
        self.timestampMicroseconds = timestampMicroseconds
        self.frame = frame
    }
}

/// How to replay a capture through the rewriter.
public struct CaptureRewriteOptions: Sendable, Hashable {
    /// Frames whose IPv4 source is this address come from the guest (NIC side); all others go
    /// to the guest (netdev side).
    public var guestAddress: IPv4Address
    /// Checkpoint events, in microseconds since the first frame.
    public var checkpointTimes: [Int64]
    /// A failover event, in microseconds since the first frame.
    public var failoverTime: Int64?
    public var profile: RewriterProfile
    /// RW-1: the V the rewriter parses with.
    public var vnetHeaderLength: UInt32

    public init(
        guestAddress: IPv4Address, checkpointTimes: [Int64] = [], failoverTime: Int64? = nil,
        profile: RewriterProfile = .upstream, vnetHeaderLength: UInt32 = 0
    ) {
        self.guestAddress = guestAddress
        self.checkpointTimes = checkpointTimes
        self.failoverTime = failoverTime
        self.profile = profile
        self.vnetHeaderLength = vnetHeaderLength
    }
}

/// One rewriter event placed in the capture's time line.
public struct CaptureDecision: Sendable, Hashable {
    /// Microseconds since the first frame.
    public var timeMicroseconds: Int64
    /// The frame that caused it; nil for checkpoint and failover events.
    public var frameIndex: Int?
    public var event: RewriterDecision

    public init(timeMicroseconds: Int64, frameIndex: Int?, event: RewriterDecision) {
        self.timeMicroseconds = timeMicroseconds
        self.frameIndex = frameIndex
        self.event = event
    }
}

public struct CaptureRewriteResult: Sendable {
    /// Every event in order; each frame's `.forward` follows the rule events it caused.
    public var events: [CaptureDecision]
    /// Every frame as it leaves the rewriter, in order, with its input timestamp.
    public var output: [TimedFrame]
    public var counters: RewriterCounters
    /// The table at the end, in key order.
    public var finalConnections: [(key: ConnectionKey, value: RewriterConnection)]
}

/// Replays a capture through the rewriter: the library half of `lockstep rewrite`.
///
/// The VM is taken to be running throughout, so every copy leaves the private queue at once
/// and the output keeps the input order. A checkpoint or failover scheduled at time T is
/// applied before the first frame stamped T or later (checkpoints before a failover at the
/// same time); those scheduled after the last frame are applied at the end.
public enum CaptureRewrite {
    public static func run(_ frames: [TimedFrame], options: CaptureRewriteOptions) -> CaptureRewriteResult {
        var rewriter = FilterRewriter(profile: options.profile, vnetHeaderLength: options.vnetHeaderLength)
        var pending = scheduledActions(options)
        var events: [CaptureDecision] = []
        var output: [TimedFrame] = []
        output.reserveCapacity(frames.count)
        let origin = frames.first.map { Int64(bitPattern: $0.timestampMicroseconds) } ?? 0

        func apply(_ action: ScheduledAction) {
            let event = action.isFailover ? rewriter.failover() : rewriter.checkpoint()
            events.append(CaptureDecision(timeMicroseconds: action.time, frameIndex: nil, event: event))
        }

        for (index, timed) in frames.enumerated() {
            let time = Int64(bitPattern: timed.timestampMicroseconds) &- origin
            while let next = pending.first, next.time <= time {
                apply(next)
                pending.removeFirst()
            }
            let side = direction(of: timed.frame, guest: options.guestAddress, vnetHeaderLength: options.vnetHeaderLength)
            let outcome = rewriter.receive(timed.frame, from: side)
            for event in outcome.allEvents {
                events.append(CaptureDecision(timeMicroseconds: time, frameIndex: index, event: event))
            }
            output.append(TimedFrame(timestampMicroseconds: timed.timestampMicroseconds, frame: outcome.frame))
        }
        for action in pending { apply(action) }
        return CaptureRewriteResult(
            events: events, output: output, counters: rewriter.counters, finalConnections: rewriter.connections)
    }

    /// Which side a captured frame arrives from: from the guest when its IPv4 source is the
    /// guest's address (looking past VLAN tags even where P-1 would not parse), else to it.
    public static func direction(of frame: Frame, guest: IPv4Address, vnetHeaderLength: UInt32 = 0) -> RewriterSide {
        let v = Int(vnetHeaderLength)
        guard v <= frame.count, let ethernet = EthernetHeader(frame.bytes, at: v),
              ethernet.etherType == EtherType.ipv4 else { return .netdev }
        let ip = v + ethernet.headerLength
        guard frame.bytes.contains(offset: ip, length: 20) else { return .netdev }
        return frame.bytes.be32(at: ip + 12) == guest.value ? .nic : .netdev
    }

    struct ScheduledAction {
        var time: Int64
        var isFailover: Bool
    }

    static func scheduledActions(_ options: CaptureRewriteOptions) -> [ScheduledAction] {
        var actions = options.checkpointTimes.map { ScheduledAction(time: $0, isFailover: false) }
        if let failover = options.failoverTime { actions.append(ScheduledAction(time: failover, isFailover: true)) }
        // Stable order: by time, checkpoints before a failover at the same instant.
        return actions.enumerated().sorted {
            ($0.element.time, $0.element.isFailover ? 1 : 0, $0.offset) < ($1.element.time, $1.element.isFailover ? 1 : 0, $1.offset)
        }.map(\.element)
    }
}
