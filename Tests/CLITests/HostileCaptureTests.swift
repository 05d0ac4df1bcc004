import Foundation
import Testing
import Fabric

/// Issue #19, captures through `lockstep compare` and `lockstep rewrite`: frames cut short by the
/// capture are warned about and counted, timestamps past 2^31 s survive, frames larger than a
/// snapshot of 65,536 bytes are written whole, and long gaps cost nothing.
@Suite("lockstep capture tools: hostile captures")
struct HostileCaptureTests {
    static let guest = IPv4Address(10, 0, 0, 2)

    static func frame(_ payload: String, port: UInt16 = 5000) -> Frame {
        IPv4FrameBuilder(source: guest, destination: IPv4Address(10, 0, 0, 1))
            .udp(sourcePort: 53, destinationPort: port, payload: Array(payload.utf8))
    }

    /// A capture of `frames` at the given seconds; `cut` keeps only that many bytes of frame 1.
    static func capture(_ path: String, _ frames: [Frame], seconds: [UInt64], cut: Int? = nil, snapshotLength: Int = 65_536) throws {
        let writer = try PcapWriter(path: path, snapshotLength: snapshotLength)
        for (index, frame) in frames.enumerated() {
            let bytes = index == 1 && cut != nil ? Array(frame.bytes.prefix(cut!)) : frame.bytes
            try writer.write(bytes, originalLength: frame.count, at: PcapTimestamp(seconds: seconds[index], nanosecondsIntoSecond: 0))
        }
        try writer.close()
    }

    @Test("compare: a frame cut short by the capture gets a warning on stderr and a count in the summary")
    func compareWarnsOfCutFrames() throws {
        let runner = try HostileRun()
        defer { runner.removeFolder() }
        let frames = [Self.frame("one"), Self.frame("two"), Self.frame("three")]
        try Self.capture(runner.path("p.pcap"), frames, seconds: [100, 101, 102], cut: 20)
        try Self.capture(runner.path("s.pcap"), frames, seconds: [100, 101, 102])
        let outcome = try runner.run(["compare", runner.path("p.pcap"), runner.path("s.pcap")])
        #expect(outcome.status == 0, "\(outcome.error)")
        #expect(outcome.error.contains("warning: capture '\(runner.path("p.pcap"))': 1 record(s) cut short by the capture"), "\(outcome.error)")
        #expect(outcome.error.contains("the first, #1, keeps 20 of \(frames[1].count) bytes"), "\(outcome.error)")
        #expect(outcome.output.contains("cut short by the capture: 1 primary, 0 secondary (compared as captured)"), "\(outcome.output)")
        let json = try runner.run(["compare", runner.path("p.pcap"), runner.path("s.pcap"), "--format", "json"])
        #expect(json.output.contains(#""primary_truncated":1,"secondary_truncated":0"#), "\(json.output)")
    }

    @Test("rewrite: timestamps at and after 2^31 s keep their value in OUT (no fold to 1970)")
    func timestampsPast2To31() throws {
        let runner = try HostileRun()
        defer { runner.removeFolder() }
        let seconds: [UInt64] = [1 << 31, (1 << 31) + 1, (1 << 32) - 1]
        try Self.capture(runner.path("in.pcap"), [Self.frame("a"), Self.frame("b"), Self.frame("c")], seconds: seconds)
        let outcome = try runner.run(["rewrite", runner.path("in.pcap"), "--guest-ip", "10.0.0.2", "--out", runner.path("out.pcap")])
        #expect(outcome.status == 0, "\(outcome.error)")
        let read = try PcapReader.readAll(path: runner.path("out.pcap")).map(\.timestamp.seconds)
        #expect(read == seconds)
    }

    @Test("rewrite --out keeps frames larger than 65,536 bytes whole", arguments: [65_537, 100_000, 262_144])
    func largeFramesKeptWhole(_ size: Int) throws {
        let runner = try HostileRun()
        defer { runner.removeFolder() }
        var bytes = Array(repeating: UInt8(0x5a), count: size)
        bytes.replaceSubrange(12..<14, with: [0x88, 0xb5])
        let writer = try PcapWriter(path: runner.path("big.pcap"), snapshotLength: 262_144)
        try writer.write(bytes, at: PcapTimestamp(seconds: 1, nanosecondsIntoSecond: 0))
        try writer.close()
        let outcome = try runner.run(["rewrite", runner.path("big.pcap"), "--guest-ip", "10.0.0.2", "--out", runner.path("out.pcap")])
        #expect(outcome.status == 0, "\(outcome.error)")
        let records = try PcapReader.readAll(path: runner.path("out.pcap"))
        #expect(records.map(\.capturedBytes.count) == [size])
        #expect(records.map(\.originalLength) == [size])
    }

    @Test("compare over two frames a year apart, and a day with a 1 ms scan cycle: a handful of lines, the repeats counted")
    func longGapsCostNothing() throws {
        let runner = try HostileRun()
        defer { runner.removeFolder() }
        let year: UInt64 = 365 * 86_400
        try Self.capture(runner.path("p.pcap"), [Self.frame("stuck"), Self.frame("late", port: 6000)], seconds: [1_000, 1_000 + year])
        try Self.capture(runner.path("s.pcap"), [], seconds: [])
        let outcome = try runner.run(["compare", runner.path("p.pcap"), runner.path("s.pcap")], seconds: 60)
        #expect(outcome.status == 0 && !outcome.timedOut, "\(outcome.error)")
        #expect(outcome.output.split(separator: "\n").count < 20, "\(outcome.output)")
        // The scan runs every second: the first detection at 4 s (age 4000 > 3000), then every
        // second until the year ends.
        let repeats = (Int(year) * 1000 - 4_000) / 1_000
        #expect(outcome.output.contains("repeated by every scan (1000 ms) \(repeats) more time(s)"), "\(outcome.output)")
        #expect(outcome.output.contains("checkpoint requests \(repeats + 1) (timeout \(repeats + 1))"), "\(outcome.output)")
        let day = try runner.run(["compare", runner.path("p.pcap"), runner.path("s.pcap"), "--expired-scan-cycle", "1",
                                  "--format", "json"], seconds: 60)
        #expect(day.status == 0 && !day.timedOut)
        #expect(day.output.contains(#""repeats":"#), "\(day.output)")
    }
}
