import Fabric

/// The demo's Ethernet / IPv4 / TCP frames between a client (10.0.0.1:40000) and the guest
/// (10.0.0.2:80), with correct checksums so the bytes are a believable capture.
enum DemoFrames {
    static let client = IPv4FrameBuilder(source: IPv4Address(10, 0, 0, 1), destination: IPv4Address(10, 0, 0, 2))

    static func tcp(toGuest: Bool, sequence: UInt32, acknowledgement: UInt32, flags: TCPFlags, payload: [UInt8] = []) -> Frame {
        var builder = client
        if !toGuest {
            swap(&builder.source, &builder.destination)
            swap(&builder.sourceMAC, &builder.destinationMAC)
        }
        builder.identification = 1
        let (sourcePort, destinationPort): (UInt16, UInt16) = toGuest ? (40_000, 80) : (80, 40_000)
        return builder.tcp(
            sourcePort: sourcePort, destinationPort: destinationPort, seq: sequence, ack: acknowledgement, flags: flags,
            window: 64_240, payload: payload)
    }
}
