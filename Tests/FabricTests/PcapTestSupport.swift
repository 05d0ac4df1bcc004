import Foundation
@testable import Fabric

/// Builds Ethernet / IPv4 / TCP or UDP frames with correct checksums (local helper until the
/// packet builders land).
enum TestPackets {
    static let clientMAC: [UInt8] = [0x52, 0x54, 0x00, 0x00, 0x00, 0x01]
    static let guestMAC: [UInt8] = [0x52, 0x54, 0x00, 0x00, 0x00, 0x02]
    static let clientIP: [UInt8] = [10, 0, 0, 1]
    static let guestIP: [UInt8] = [10, 0, 0, 2]

    static func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
    static func be32(_ value: UInt32) -> [UInt8] { be16(UInt16(value >> 16)) + be16(UInt16(value & 0xFFFF)) }

    static func ipv4(protocol proto: UInt8, source: [UInt8], destination: [UInt8], payload: [UInt8], id: UInt16) -> [UInt8] {
        var header: [UInt8] = [0x45, 0] + be16(UInt16(20 + payload.count)) + be16(id) + [0x40, 0, 64, proto, 0, 0]
        header += source + destination
        let sum = InternetChecksum.checksum(header)
        header[10] = UInt8(sum >> 8)
        header[11] = UInt8(sum & 0xFF)
        return header + payload
    }

    static func pseudoHeader(proto: UInt8, source: [UInt8], destination: [UInt8], length: Int) -> [UInt8] {
        source + destination + [0, proto] + be16(UInt16(length))
    }

    static func udp(source: [UInt8], destination: [UInt8], sourcePort: UInt16, destinationPort: UInt16, payload: [UInt8]) -> [UInt8] {
        var segment = be16(sourcePort) + be16(destinationPort) + be16(UInt16(8 + payload.count)) + [0, 0] + payload
        var sum = InternetChecksum.checksum(pseudoHeader(proto: 17, source: source, destination: destination, length: segment.count) + segment)
        if sum == 0 { sum = 0xFFFF }
        segment[6] = UInt8(sum >> 8)
        segment[7] = UInt8(sum & 0xFF)
        return segment
    }

    static func tcp(source: [UInt8], destination: [UInt8], sourcePort: UInt16, destinationPort: UInt16,
                    sequence: UInt32, acknowledgement: UInt32, flags: UInt8, payload: [UInt8]) -> [UInt8] {
        var segment = be16(sourcePort) + be16(destinationPort) + be32(sequence) + be32(acknowledgement)
        segment += [0x50, flags] + be16(64_240) + [0, 0, 0, 0] + payload
        let sum = InternetChecksum.checksum(pseudoHeader(proto: 6, source: source, destination: destination, length: segment.count) + segment)
        segment[16] = UInt8(sum >> 8)
        segment[17] = UInt8(sum & 0xFF)
        return segment
    }

    static func ethernet(destination: [UInt8], source: [UInt8], payload: [UInt8]) -> [UInt8] {
        destination + source + [0x08, 0x00] + payload
    }

    /// A TCP segment from the client to the guest (or back when `toGuest` is false).
    static func tcpFrame(toGuest: Bool = true, sequence: UInt32, acknowledgement: UInt32 = 0, flags: UInt8,
                         payload: [UInt8] = [], id: UInt16 = 1) -> Frame {
        let (srcIP, dstIP, srcMAC, dstMAC, srcPort, dstPort) = toGuest
            ? (clientIP, guestIP, clientMAC, guestMAC, UInt16(40_000), UInt16(80))
            : (guestIP, clientIP, guestMAC, clientMAC, UInt16(80), UInt16(40_000))
        let segment = tcp(source: srcIP, destination: dstIP, sourcePort: srcPort, destinationPort: dstPort,
                          sequence: sequence, acknowledgement: acknowledgement, flags: flags, payload: payload)
        return Frame(ethernet(destination: dstMAC, source: srcMAC,
                              payload: ipv4(protocol: 6, source: srcIP, destination: dstIP, payload: segment, id: id)))
    }

    static func udpFrame(toGuest: Bool = true, payload: [UInt8], id: UInt16 = 1) -> Frame {
        let (srcIP, dstIP, srcMAC, dstMAC) = toGuest ? (clientIP, guestIP, clientMAC, guestMAC) : (guestIP, clientIP, guestMAC, clientMAC)
        let datagram = udp(source: srcIP, destination: dstIP, sourcePort: 30_000, destinationPort: 30_001, payload: payload)
        return Frame(ethernet(destination: dstMAC, source: srcMAC,
                              payload: ipv4(protocol: 17, source: srcIP, destination: dstIP, payload: datagram, id: id)))
    }
}

/// A per-process scratch directory for capture files; each test uses its own file name.
enum PcapScratch {
    static let directory: String = {
        let path = NSTemporaryDirectory() + "lockstep-pcap-tests-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    static func path(_ name: String) -> String {
        let path = directory + "/" + name
        try? FileManager.default.removeItem(atPath: path)
        return path
    }

    static func write(_ bytes: [UInt8], to name: String) -> String {
        let path = path(name)
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    static func read(_ path: String) -> [UInt8] {
        (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))) ?? []
    }
}

/// Deterministic bytes (SplitMix64) for "random garbage" files.
struct SeededBytes {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}
