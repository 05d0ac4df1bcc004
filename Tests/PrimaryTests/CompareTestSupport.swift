import Fabric
import Primary

/// Frames and engine helpers shared by the compare tests.
enum Net {
    static let guest = IPv4Address(10, 0, 0, 2)
    static let client = IPv4Address(10, 0, 0, 1)

    /// Guest → client, the direction the compare sees.
    static var builder: IPv4FrameBuilder { IPv4FrameBuilder(source: guest, destination: client) }

    static func tcp(seq: UInt32, ack: UInt32 = 1, _ payload: String = "", flags: TCPFlags = [.ack, .psh],
                    sourcePort: UInt16 = 80, destinationPort: UInt16 = 5000,
                    configure: (inout IPv4FrameBuilder) -> Void = { _ in }) -> Frame {
        tcp(seq: seq, ack: ack, bytes: Array(payload.utf8), flags: flags, sourcePort: sourcePort,
            destinationPort: destinationPort, configure: configure)
    }

    static func tcp(seq: UInt32, ack: UInt32 = 1, bytes: [UInt8], flags: TCPFlags = [.ack, .psh],
                    sourcePort: UInt16 = 80, destinationPort: UInt16 = 5000, options: [TCPOption] = [],
                    window: UInt16 = 65_535,
                    configure: (inout IPv4FrameBuilder) -> Void = { _ in }) -> Frame {
        var b = builder
        configure(&b)
        return b.tcp(sourcePort: sourcePort, destinationPort: destinationPort, seq: seq, ack: ack, flags: flags,
                     window: window, options: options, payload: bytes)
    }

    static func udp(_ payload: String, sourcePort: UInt16 = 53, destinationPort: UInt16 = 4000,
                    checksumOverride: UInt16? = nil,
                    configure: (inout IPv4FrameBuilder) -> Void = { _ in }) -> Frame {
        var b = builder
        configure(&b)
        return b.udp(sourcePort: sourcePort, destinationPort: destinationPort, payload: Array(payload.utf8),
                     checksumOverride: checksumOverride)
    }

    static func icmpEchoReply(id: UInt16 = 7, sequence: UInt16 = 1, _ payload: String = "ping",
                              configure: (inout IPv4FrameBuilder) -> Void = { _ in }) -> Frame {
        var b = builder
        configure(&b)
        return b.icmp(type: ICMPHeader.echoReply, identifier: id, sequence: sequence, payload: Array(payload.utf8))
    }
}

extension COLOCompare {
    static func make(_ profile: CompareProfile = .upstream, timeout: UInt32 = 3000, scan: UInt32 = 1000,
                     vnet: Bool = false, notify: Bool = false, process: CompareProcess = CompareProcess(),
                     resetThreshold: Int = 16_384) -> COLOCompare {
        COLOCompare(configuration: COLOCompare.Configuration(
            compareTimeoutMs: timeout, expiredScanCycleMs: scan, vnetHeaderSupport: vnet, hasNotifyDev: notify,
            profile: profile, connectionTableResetThreshold: resetThreshold), process: process, nowMs: 0)
    }
}

extension Array where Element == CompareAction {
    /// (primary index, reason token) of every release, in order.
    var releases: [Int] { events.compactMap { if case .release(let r) = $0 { r.primaryIndex } else { nil } } }
    var releaseReasons: [ReleaseReason] { events.compactMap { if case .release(let r) = $0 { r.reason } else { nil } } }
    var drops: [CompareDrop] { events.compactMap { if case .drop(let d) = $0 { d } else { nil } } }
    var checkpointRequests: [CompareCheckpointRequest] {
        events.compactMap { if case .checkpointRequest(let c) = $0 { c } else { nil } }
    }
    var outdevIndices: [Int?] { writes.filter { $0.channel == .outdev }.map(\.primaryIndex) }
    var notifyMessages: [String] { writes.filter { $0.channel == .notifyDev }.map { String(decoding: $0.frame.bytes, as: UTF8.self) } }
    var requestsLocalCheckpoint: Bool { contains(.requestCheckpoint) }
}

