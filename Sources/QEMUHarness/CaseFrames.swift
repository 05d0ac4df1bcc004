import Fabric

/// An IPv4 address and port.
public struct Endpoint: Sendable, Hashable {
    public var address: [UInt8]
    public var port: UInt16
    public init(_ address: [UInt8], _ port: UInt16) {
        self.address = address
        self.port = port
    }
}

/// Frame shorthands for oracle tests and differential cases, on Fabric's `IPv4FrameBuilder`.
/// Every frame is Ethernet II + IPv4 (no VLAN) from `guestMAC` to `clientMAC`, DF set,
/// optionally preceded by a virtio-net header of the given bytes (Frame.vnetHeaderLength).
public enum CaseFrames {
    public static let guestMAC: [UInt8] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56]
    public static let clientMAC: [UInt8] = [0x52, 0x54, 0x00, 0xab, 0xcd, 0xef]

    public static func tcp(
        from source: Endpoint, to destination: Endpoint, seq: UInt32, ack: UInt32, flags: TCPFlags,
        payload: [UInt8] = [], window: UInt16 = 64_240, tcpOptions: [UInt8] = [],
        ipOptions: [UInt8] = [], ipID: UInt16 = 0, ttl: UInt8 = 64, vnetHeader: [UInt8] = []
    ) -> Frame {
        builder(source.address, destination.address, ipOptions: ipOptions, ipID: ipID, ttl: ttl, vnetHeader: vnetHeader)
            .tcp(sourcePort: source.port, destinationPort: destination.port, seq: seq, ack: ack, flags: flags,
                 window: window, rawOptions: tcpOptions, payload: payload)
    }

    public static func udp(
        from source: Endpoint, to destination: Endpoint, payload: [UInt8],
        ipID: UInt16 = 0, ttl: UInt8 = 64, vnetHeader: [UInt8] = []
    ) -> Frame {
        builder(source.address, destination.address, ipID: ipID, ttl: ttl, vnetHeader: vnetHeader)
            .udp(sourcePort: source.port, destinationPort: destination.port, payload: payload)
    }

    /// ICMP echo request (type 8) or reply (type 0).
    public static func icmpEcho(
        from source: [UInt8], to destination: [UInt8], type: UInt8 = 8, identifier: UInt16, sequence: UInt16,
        payload: [UInt8], ipID: UInt16 = 0, ttl: UInt8 = 64
    ) -> Frame {
        builder(source, destination, ipID: ipID, ttl: ttl)
            .icmp(type: type, identifier: identifier, sequence: sequence, payload: payload)
    }

    /// An IPv4 packet with an arbitrary protocol number and payload (GRE = 47, SCTP = 132, ...).
    public static func ipv4(
        from source: [UInt8], to destination: [UInt8], protocolNumber: UInt8, payload: [UInt8],
        ipOptions: [UInt8] = [], ipID: UInt16 = 0, ttl: UInt8 = 64, vnetHeader: [UInt8] = []
    ) -> Frame {
        builder(source, destination, ipOptions: ipOptions, ipID: ipID, ttl: ttl, vnetHeader: vnetHeader)
            .datagram(protocol: protocolNumber, payload: payload)
    }

    /// An ARP request (never parsed by compare or rewriter, P-1).
    public static func arpRequest(senderIP: [UInt8], targetIP: [UInt8]) -> Frame {
        var arp = builder(senderIP, targetIP)
        arp.destinationMAC = .broadcast
        return arp.arp(operation: ARPPacket.request)
    }

    public static func ethernet(
        destination: [UInt8] = clientMAC, source: [UInt8] = guestMAC, etherType: UInt16,
        payload: [UInt8], vnetHeader: [UInt8] = []
    ) -> Frame {
        var frame = builder([0, 0, 0, 0], [0, 0, 0, 0], vnetHeader: vnetHeader)
        frame.destinationMAC = MACAddress(destination)
        frame.sourceMAC = MACAddress(source)
        return frame.ethernet(etherType: etherType, payload: payload)
    }

    private static func builder(
        _ source: [UInt8], _ destination: [UInt8], ipOptions: [UInt8] = [], ipID: UInt16 = 0, ttl: UInt8 = 64,
        vnetHeader: [UInt8] = []
    ) -> IPv4FrameBuilder {
        var builder = IPv4FrameBuilder(source: address(source), destination: address(destination))
        builder.sourceMAC = MACAddress(guestMAC)
        builder.destinationMAC = MACAddress(clientMAC)
        builder.ipOptions = ipOptions
        builder.identification = ipID
        builder.ttl = ttl
        builder.vnetHeader = vnetHeader
        return builder
    }

    private static func address(_ octets: [UInt8]) -> IPv4Address {
        IPv4Address(octets.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    }
}
