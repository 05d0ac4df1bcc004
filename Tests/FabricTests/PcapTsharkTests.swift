import Foundation
import Testing
@testable import Fabric

enum Tshark {
    static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/tshark" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static var ciIsSet: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    /// Runs tshark on `file` with IP, TCP and UDP checksum validation on and returns its stdout.
    static func run(_ file: String, displayFilter: String? = nil, fields: [String] = []) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path ?? "/usr/bin/tshark")
        var arguments = ["-n", "-r", file,
                         "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"]
        if let displayFilter { arguments += ["-Y", displayFilter] }
        if !fields.isEmpty { arguments += ["-T", "fields"] + fields.flatMap { ["-e", $0] } }
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

@Suite("Pcap files validated by tshark", .enabled(if: Tshark.path != nil || Tshark.ciIsSet, "tshark is not installed"))
struct PcapTsharkTests {
    static let flagged = "_ws.expert.severity >= warning"

    @Test("A Lockstep pcap of IPv4 TCP/UDP frames reads cleanly in tshark, no checksum or other warnings")
    func cleanCapture() throws {
        let path = PcapScratch.path("tshark-clean.pcap")
        let writer = try PcapWriter(path: path)
        let frames = [
            TestPackets.tcpFrame(sequence: 1000, flags: 0x02, id: 1),
            TestPackets.tcpFrame(toGuest: false, sequence: 5000, acknowledgement: 1001, flags: 0x12, id: 2),
            TestPackets.tcpFrame(sequence: 1001, acknowledgement: 5001, flags: 0x10, id: 3),
            TestPackets.tcpFrame(sequence: 1001, acknowledgement: 5001, flags: 0x18, payload: Array("GET / HTTP/1.0\r\n\r\n".utf8), id: 4),
            TestPackets.udpFrame(payload: Array("lockstep".utf8), id: 5),
            TestPackets.udpFrame(toGuest: false, payload: [UInt8](repeating: 0xAB, count: 300), id: 6),
        ]
        for (index, frame) in frames.enumerated() {
            try writer.write(frame.bytes, at: PcapTimestamp(nanoseconds: UInt64(index) * 1_000_000))
        }
        try writer.close()

        let listing = try Tshark.run(path, fields: ["frame.number", "ip.proto"])
        #expect(listing.status == 0)
        #expect(listing.output.split(separator: "\n").map(String.init) == ["1\t6", "2\t6", "3\t6", "4\t6", "5\t17", "6\t17"])
        let flagged = try Tshark.run(path, displayFilter: Self.flagged)
        #expect(flagged.status == 0)
        #expect(flagged.output.isEmpty, "tshark flagged: \(flagged.output)")
    }

    @Test("Control: tshark does flag a frame with a broken UDP checksum, so the check above is real")
    func brokenChecksumIsFlagged() throws {
        var bytes = TestPackets.udpFrame(payload: Array("bad".utf8)).bytes
        bytes[14 + 20 + 6] ^= 0x01
        let path = PcapScratch.path("tshark-bad.pcap")
        let writer = try PcapWriter(path: path)
        try writer.write(bytes, at: PcapTimestamp(nanoseconds: 0))
        try writer.close()
        let flagged = try Tshark.run(path, displayFilter: Self.flagged)
        #expect(flagged.output.split(separator: "\n").count == 1)
    }

    @Test("B-2: a filter-dump capture of traffic through a chain reads cleanly in tshark")
    func dumpCapture() throws {
        let setup = try TapAndNIC()
        let path = PcapScratch.path("tshark-dump.pcap")
        let dump = try FilterDump(file: path)
        try setup.core.addFilter(dump, options: FilterOptions(id: "dump0", netdev: "tap0"))
        setup.core.send(TestPackets.tcpFrame(sequence: 1, flags: 0x02), from: setup.tap)
        setup.core.virtualNanoseconds = 2_000_000
        setup.core.send(TestPackets.tcpFrame(toGuest: false, sequence: 9, acknowledgement: 2, flags: 0x12), from: setup.nic)
        try setup.core.removeFilter(id: "dump0")
        let listing = try Tshark.run(path, fields: ["frame.number", "frame.time_relative"])
        #expect(listing.output.split(separator: "\n").map(String.init) == ["1\t0.000000000", "2\t0.002000000"])
        #expect(try Tshark.run(path, displayFilter: Self.flagged).output.isEmpty)
    }
}
