@testable import Fabric
@testable import Secondary

/// A client C talking to the guest G through the secondary's rewriter.
/// `toGuest` frames are what the netdev sends (mirrored client traffic); `fromGuest` frames
/// are what the secondary guest's NIC sends.
struct Flow {
    var client = IPv4Address(10, 0, 0, 1)
    var guest = IPv4Address(10, 0, 0, 2)
    var clientPort: UInt16 = 40_000
    var guestPort: UInt16 = 80
    var ipOptions: [UInt8] = []
    var vlanTags: [(tpid: UInt16, tci: UInt16)] = []
    var vnetHeader: [UInt8] = []

    func toGuest(seq: UInt32, ack: UInt32 = 0, _ flags: TCPFlags, payload: [UInt8] = [], options: [TCPOption] = []) -> Frame {
        builder(from: client, to: guest).tcp(
            sourcePort: clientPort, destinationPort: guestPort, seq: seq, ack: ack, flags: flags,
            options: options, payload: payload)
    }

    func fromGuest(seq: UInt32, ack: UInt32 = 0, _ flags: TCPFlags, payload: [UInt8] = [], options: [TCPOption] = []) -> Frame {
        builder(from: guest, to: client).tcp(
            sourcePort: guestPort, destinationPort: clientPort, seq: seq, ack: ack, flags: flags,
            options: options, payload: payload)
    }

    func builder(from source: IPv4Address, to destination: IPv4Address) -> IPv4FrameBuilder {
        var builder = IPv4FrameBuilder(source: source, destination: destination)
        builder.ipOptions = ipOptions
        builder.vlanTags = vlanTags
        builder.vnetHeader = vnetHeader
        return builder
    }

    /// The rewriter's key for this flow: oriented guest → client (P-3).
    var key: ConnectionKey {
        ConnectionKey(addressA: guest, addressB: client, portWord: UInt32(guestPort) << 16 | UInt32(clientPort), ipProtocol: IPProtocolNumber.tcp)
    }

    var ipOffset: Int { vnetHeader.count + 14 + 4 * vlanTags.count }
}

extension Frame {
    /// The TCP header of a frame built by `Flow` (real transport offset).
    func tcp(ipOffset: Int = 14) -> TCPHeader? {
        guard let ip = IPv4Header(bytes, at: ipOffset) else { return nil }
        return TCPHeader(bytes, at: ipOffset + ip.headerLength)
    }

    var seq: UInt32 { tcp()?.sequenceNumber ?? 0 }
    var ack: UInt32 { tcp()?.acknowledgementNumber ?? 0 }

    func checksumsValid(ipOffset: Int = 14) -> Bool { TransportChecksum.isValid(bytes, ipOffset: ipOffset) }
}

extension RewriterOutcome {
    var stateChanges: [(from: RewriterTCPState, to: RewriterTCPState, rule: RewriterRule)] {
        events.compactMap {
            if case .stateChanged(_, let from, let to, let rule) = $0 { return (from, to, rule) }
            return nil
        }
    }

    var offsetChanges: [(from: UInt32, to: UInt32, rule: RewriterRule)] {
        events.compactMap {
            if case .offsetLearned(_, let from, let to, let rule) = $0 { return (from, to, rule) }
            return nil
        }
    }

    var removedEntry: Bool {
        events.contains { if case .entryRemoved = $0 { return true }; return false }
    }
}

/// Drives a passively opened connection (client connects to the guest) through the handshake
/// of RW-12: client ISN c0, primary guest ISN p0, secondary guest ISN s0.
struct PassiveOpen {
    var flow = Flow()
    var c0: UInt32 = 1_000
    var p0: UInt32 = 5_000
    var s0: UInt32 = 90_000

    @discardableResult
    func run(_ rewriter: inout FilterRewriter) -> [RewriterOutcome] {
        [
            rewriter.receive(flow.toGuest(seq: c0, .syn), from: .netdev),
            rewriter.receive(flow.fromGuest(seq: s0, ack: c0 &+ 1, [.syn, .ack]), from: .nic),
            rewriter.receive(flow.toGuest(seq: c0 &+ 1, ack: p0 &+ 1, .ack), from: .netdev),
        ]
    }

    var offset: UInt32 { s0 &- p0 }
}
