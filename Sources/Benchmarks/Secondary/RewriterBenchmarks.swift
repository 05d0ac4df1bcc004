import Fabric
import Secondary

/// In-process throughput of the rewriter on its hot path: established connections with a
/// non-zero offset, every frame rewritten (ack on the way in, seq on the way out) and its TCP
/// checksum recomputed. `lockstep bench` picks the cases up from `all`.
public enum RewriterBenchmarks {
    /// Each frame the benchmark hands over stays its own (it is reused), so the rewritten copy
    /// of RW-5 is one allocation per frame, as QEMU's copy of the packet is; nothing else may
    /// allocate.
    public static let all: [BenchmarkCase] = [
        BenchmarkCase(
            name: caseName, unit: unit, defaultIterations: defaultIterations,
            goalPerSecond: goalFramesPerSecond, baseline: "memcpy.64B", allocationBudget: 1, body: rewriteEstablished),
        BenchmarkCase(
            name: "rewriter.established.1460B", unit: unit, defaultIterations: 2_000_000, allocationBudget: 1,
            body: { UInt64(rewriteEstablished(frames: $0, connections: 64, payloadBytes: 1_460)) }),
        BenchmarkCase(
            name: "rewriter.established.64B.fixed", unit: unit, defaultIterations: 2_000_000, allocationBudget: 1,
            body: { UInt64(rewriteEstablished(frames: $0, connections: 64, payloadBytes: 64, profile: .fixed)) }),
        // The floor the 64-byte case is judged against: the per-frame work without the engine
        // around it (RewriterFloor).
        BenchmarkCase(
            name: "rewriter.floor.established-frame-work", unit: unit, defaultIterations: defaultIterations,
            baseline: "memcpy.64B", allocationBudget: 1, body: { RewriterFloor.establishedFrameWork(frames: $0) }),
    ]

    public static let caseName = "rewriter.established.64B"
    public static let unit = "frames"
    public static let defaultIterations = 5_000_000
    /// Issue #18.
    public static let goalFramesPerSecond = 10_000_000.0

    /// Rewrites `frames` frames and returns how many were rewritten (all of them).
    /// Alternates directions over `connections` connections, each with `payloadBytes` of data.
    @Sendable
    public static func rewriteEstablished(_ frames: Int) -> UInt64 {
        UInt64(rewriteEstablished(frames: frames, connections: 64, payloadBytes: 64))
    }

    public static func rewriteEstablished(
        frames: Int, connections: Int, payloadBytes: Int, profile: RewriterProfile = .upstream
    ) -> Int {
        var rewriter = FilterRewriter(profile: profile)
        let templates = establish(&rewriter, connections: max(1, connections), payloadBytes: payloadBytes)
        var rewritten = 0
        var index = 0
        for _ in 0..<max(0, frames) {
            let (frame, side) = templates[index]
            let outcome = rewriter.receive(frame, from: side)
            if outcome.record.rewrite != nil { rewritten += 1 }
            index += 1
            if index == templates.count { index = 0 }
        }
        return rewritten
    }

    /// Opens each connection passively (client SYN, guest SYN+ACK, client ACK) so that it has
    /// a non-zero offset, and returns one client→guest and one guest→client data frame per
    /// connection.
    static func establish(
        _ rewriter: inout FilterRewriter, connections: Int, payloadBytes: Int
    ) -> [(Frame, RewriterSide)] {
        let client = IPv4Address(192, 168, 0, 1)
        let guest = IPv4Address(192, 168, 0, 2)
        let toGuest = IPv4FrameBuilder(source: client, destination: guest)
        let fromGuest = IPv4FrameBuilder(source: guest, destination: client)
        let payload = (0..<payloadBytes).map { UInt8(truncatingIfNeeded: $0) }
        var templates: [(Frame, RewriterSide)] = []
        for connection in 0..<connections {
            let port = UInt16(truncatingIfNeeded: 10_000 + connection)
            let c0 = UInt32(truncatingIfNeeded: connection) &* 7_919
            let p0: UInt32 = 0x1000_0000
            let s0 = 0xF000_0000 &+ UInt32(truncatingIfNeeded: connection)
            _ = rewriter.receive(toGuest.tcp(sourcePort: port, destinationPort: 80, seq: c0, flags: .syn), from: .netdev)
            _ = rewriter.receive(fromGuest.tcp(sourcePort: 80, destinationPort: port, seq: s0, ack: c0 &+ 1, flags: [.syn, .ack]), from: .nic)
            _ = rewriter.receive(toGuest.tcp(sourcePort: port, destinationPort: 80, seq: c0 &+ 1, ack: p0 &+ 1, flags: .ack), from: .netdev)
            templates.append((toGuest.tcp(sourcePort: port, destinationPort: 80, seq: c0 &+ 1, ack: p0 &+ 1, flags: [.ack, .psh], payload: payload), .netdev))
            templates.append((fromGuest.tcp(sourcePort: 80, destinationPort: port, seq: s0 &+ 1, ack: c0 &+ 1, flags: [.ack, .psh], payload: payload), .nic))
        }
        return templates
    }
}
