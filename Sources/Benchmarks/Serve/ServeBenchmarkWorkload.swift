import Fabric
import GuestStack
import Primary

/// The frames a serve benchmark pushes: identical primary and secondary streams, so every pair
/// matches and every primary comes out of outdev once. Records are pre-encoded; a pair's
/// records are appended to the send buffers on demand.
public struct ServeBenchmarkWorkload: Sendable {
    public let name: String
    public let description: String
    private let kind: Kind
    /// The most pairs in flight (sent, not yet released) so that no compare queue overflows
    /// (max_queue_size 1024, C-6).
    public let window: Int

    private enum Kind: Sendable {
        /// One encoded record per flow; pair i uses flow i mod flows.
        case datagrams(primary: [[UInt8]], secondary: [[UInt8]])
        /// One encoded segment record; pair i carries sequence number isn + i·payload.
        case stream(record: [UInt8], seqOffset: Int, isn: UInt32, payloadBytes: Int)
    }

    public enum Side { case primary, secondary }

    /// UDP with `payloadBytes`-byte payloads over `flows` flows (the engine benchmark's frames).
    public static func udp(payloadBytes: Int = 64, flows: Int = 64) -> ServeBenchmarkWorkload {
        let frames = CompareBenchmarks.makeUDPWorkload(pairs: 0, flows: flows, payloadBytes: payloadBytes)
        let encoder = RecordEncoder(vnetHeaderSupport: false)
        func encode(_ frame: Frame) -> [UInt8] {
            (try? encoder.record(payload: frame.bytes, vnetHeaderLength: 0)) ?? []
        }
        return ServeBenchmarkWorkload(
            name: "udp-\(payloadBytes)B-\(flows)flows", description: "UDP, \(payloadBytes)-byte payloads over \(flows) flows",
            kind: .datagrams(primary: frames.primary.map(encode), secondary: frames.secondary.map(encode)),
            window: flows * 128)
    }

    /// One TCP stream of full `payloadBytes` segments, segmented alike on both sides (C-11.1).
    public static func tcp(payloadBytes: Int = 1448) -> ServeBenchmarkWorkload {
        let builder = IPv4FrameBuilder(source: HostNetwork.guestAddress, destination: HostNetwork.clientAddress)
        let isn: UInt32 = 0x1000_0000
        let payload = (0..<payloadBytes).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let frame = builder.tcp(sourcePort: 80, destinationPort: 40_000, seq: isn, ack: 1, flags: [.ack, .psh], payload: payload)
        let record = (try? RecordEncoder(vnetHeaderSupport: false).record(payload: frame.bytes, vnetHeaderLength: 0)) ?? []
        // Length field, Ethernet header, 20-byte IPv4 header, then ports: the sequence number.
        return ServeBenchmarkWorkload(
            name: "tcp-\(payloadBytes)B", description: "one TCP stream of \(payloadBytes)-byte segments",
            kind: .stream(record: record, seqOffset: 4 + 14 + 20 + 4, isn: isn, payloadBytes: payloadBytes),
            window: 512)
    }

    /// Appends `side`'s records of pairs `range` to `buffer`.
    func append(_ side: Side, pairs range: Range<Int>, to buffer: inout [UInt8]) {
        switch kind {
        case .datagrams(let primary, let secondary):
            let records = side == .primary ? primary : secondary
            for pair in range { buffer.append(contentsOf: records[pair % records.count]) }
        case .stream(let record, let seqOffset, let isn, let payloadBytes):
            for pair in range {
                let start = buffer.count
                buffer.append(contentsOf: record)
                let seq = isn &+ UInt32(truncatingIfNeeded: pair &* payloadBytes)
                buffer[start + seqOffset] = UInt8(truncatingIfNeeded: seq >> 24)
                buffer[start + seqOffset + 1] = UInt8(truncatingIfNeeded: seq >> 16)
                buffer[start + seqOffset + 2] = UInt8(truncatingIfNeeded: seq >> 8)
                buffer[start + seqOffset + 3] = UInt8(truncatingIfNeeded: seq)
            }
        }
    }
}
