import Foundation
import Testing
@testable import Fabric
@testable import Primary

/// A small capture pair exercising resegmentation, UDP, unparseable frames on both sides, a
/// payload mismatch, a timeout and a checkpoint.
enum SampleCaptures {
    static let origin: Int64 = 1_000_000

    static var primary: [CapturedFrame] {
        [
            CapturedFrame(timestampUs: origin + 0, frame: Net.tcp(seq: 1000, "hello ")),
            CapturedFrame(timestampUs: origin + 100, frame: Net.tcp(seq: 1006, "world!")),
            CapturedFrame(timestampUs: origin + 200, frame: Net.udp("ping")),
            CapturedFrame(timestampUs: origin + 300, frame: Net.builder.arp(operation: 1)),
            CapturedFrame(timestampUs: origin + 400, frame: Net.tcp(seq: 1012, "abcdef")),
            CapturedFrame(timestampUs: origin + 500, frame: Net.udp("late")),
        ]
    }

    static var secondary: [CapturedFrame] {
        [
            CapturedFrame(timestampUs: origin + 50, frame: Net.tcp(seq: 1000, "hello world!")),
            CapturedFrame(timestampUs: origin + 250, frame: Net.udp("ping")),
            CapturedFrame(timestampUs: origin + 450, frame: Net.tcp(seq: 1012, "abcXef")),
            CapturedFrame(timestampUs: origin + 460, frame: Net.builder.ipv6(payload: [1])),
        ]
    }

    static let options = CaptureCompareOptions(checkpointsUs: [5_000_000])

    static func write(_ frames: [CapturedFrame], to path: String) throws {
        let writer = try PcapWriter(path: path)
        for captured in frames {
            try writer.write(captured.frame.bytes, at: PcapTimestamp(nanoseconds: UInt64(captured.timestampUs) * 1000))
        }
        try writer.close()
    }
}

@Suite("capture comparison and its reports")
struct CaptureCompareTests {
    static let golden = """
        {"event":"release","time_us":50,"primary_index":0,"reason":"matched","secondary_index":0,"match":"covered","connection":"tcp 10.0.0.2:80 > 10.0.0.1:5000"}
        {"event":"release","time_us":100,"primary_index":1,"reason":"matched","secondary_index":0,"match":"covered","connection":"tcp 10.0.0.2:80 > 10.0.0.1:5000"}
        {"event":"release","time_us":250,"primary_index":2,"reason":"matched","secondary_index":1,"match":"identical","connection":"udp 10.0.0.2:53 > 10.0.0.1:4000"}
        {"event":"drop","time_us":250,"side":"secondary","index":1,"reason":"compared","primary_index":2,"connection":"udp 10.0.0.2:53 > 10.0.0.1:4000"}
        {"event":"release","time_us":300,"primary_index":3,"reason":"unparseable","detail":"not_ipv4"}
        {"event":"drop","time_us":400,"side":"secondary","index":0,"reason":"retransmission","seq_end":1012,"compare_seq":1012,"connection":"tcp 10.0.0.2:80 > 10.0.0.1:5000"}
        {"event":"checkpoint_request","time_us":450,"reason":"payload_mismatch","connection":"tcp 10.0.0.2:80 > 10.0.0.1:5000","delivery":"local","primary_index":4,"secondary_index":2,"rule":"primary_ends_first","detail":"bytes_differ","primary_seq":1012,"primary_seq_end":1018,"primary_offset":0,"secondary_seq":1012,"secondary_seq_end":1018,"secondary_offset":0,"compared_length":6,"differing_seq":1015,"primary_frame_offset":57,"secondary_frame_offset":57,"primary_byte":100,"secondary_byte":88}
        {"event":"drop","time_us":460,"side":"secondary","index":3,"reason":"unparseable","detail":"not_ipv4"}
        {"event":"checkpoint_request","time_us":4000000,"reason":"timeout","connection":"tcp 10.0.0.2:80 > 10.0.0.1:5000","delivery":"local","side":"primary","index":4,"age_ms":4000,"timeout_ms":3000}
        {"event":"checkpoint","time_us":5000000,"cause":"checkpoint"}
        {"event":"release","time_us":5000000,"primary_index":4,"reason":"checkpoint_flush","connection":"tcp 10.0.0.2:80 > 10.0.0.1:5000"}
        {"event":"drop","time_us":5000000,"side":"secondary","index":2,"reason":"checkpoint_flush","connection":"tcp 10.0.0.2:80 > 10.0.0.1:5000"}
        {"event":"release","time_us":5000000,"primary_index":5,"reason":"checkpoint_flush","connection":"udp 10.0.0.2:53 > 10.0.0.1:4000"}
        {"event":"end","time_us":5000000,"primary_frames":6,"secondary_frames":4,"released":6,"primary_dropped":0,"secondary_dropped":4,"checkpoint_requests":2,"checkpoints":1,"primary_queued":0,"secondary_queued":0}
        """

    @Test("JSON golden: a small capture pair, read back from pcap files, renders exactly this")
    func jsonGolden() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-compare-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let primaryPath = directory.appendingPathComponent("primary.pcap").path
        let secondaryPath = directory.appendingPathComponent("secondary.pcap").path
        try SampleCaptures.write(SampleCaptures.primary, to: primaryPath)
        try SampleCaptures.write(SampleCaptures.secondary, to: secondaryPath)
        func read(_ path: String) throws -> [CapturedFrame] {
            try PcapReader.readAll(path: path).map(CapturedFrame.init)
        }
        let result = CaptureCompare.run(primary: try read(primaryPath), secondary: try read(secondaryPath), options: SampleCaptures.options)
        #expect(CompareJSONReport.lines(result).joined(separator: "\n") == Self.golden)
    }

    @Test("the released frames written as a capture: outdev order, each at its release time on the inputs' clock")
    func releasedCapture() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-released-\(UInt32.random(in: 0...UInt32.max)).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = CaptureCompare.run(primary: SampleCaptures.primary, secondary: SampleCaptures.secondary, options: SampleCaptures.options)
        try result.writeReleased(toCapture: path)
        let written = try PcapReader.readAll(path: path).map(CapturedFrame.init)
        #expect(written.map(\.frame) == result.released.map(\.frame))
        #expect(written.map(\.timestampUs) == result.released.map { SampleCaptures.origin + $0.timeUs })
    }

    @Test("Every frame written to outdev appears exactly once as a release, in outdev order")
    func releasesMatchOutput() {
        let result = CaptureCompare.run(primary: SampleCaptures.primary, secondary: SampleCaptures.secondary, options: SampleCaptures.options)
        let releases = result.decisions.compactMap { if case .release(let r) = $0.event { r.primaryIndex } else { nil } }
        #expect(result.released.map(\.primaryIndex) == releases)
        #expect(result.released.map(\.frame) == releases.map { SampleCaptures.primary[$0].frame })
    }

    @Test("Indices name capture positions even when a capture's timestamps go backwards")
    func indicesAreCapturePositions() {
        let primary = [CapturedFrame(timestampUs: 20, frame: Net.udp("b")), CapturedFrame(timestampUs: 10, frame: Net.udp("a"))]
        let secondary = [CapturedFrame(timestampUs: 30, frame: Net.udp("a"))]
        let result = CaptureCompare.run(primary: primary, secondary: secondary, options: CaptureCompareOptions(profile: .fixed))
        // Arrival order a (position 1) then b (position 0); FIFO matches a with the secondary.
        #expect(result.decisions.first?.event == .release(CompareRelease(
            primaryIndex: 1, connection: result.decisions.first.flatMap { if case .release(let r) = $0.event { r.connection } else { nil } },
            reason: .matched(secondaryIndex: 0, how: .identicalPacket))))
        #expect(result.originUs == 10 && result.endUs == 20)
    }

    @Test("The scan runs on the capture clock: first after one cycle, then every cycle, up to the end")
    func scanClock() {
        let primary = [CapturedFrame(timestampUs: 0, frame: Net.udp("alone")), CapturedFrame(timestampUs: 2_500_000, frame: Net.udp("x", sourcePort: 9))]
        let options = CaptureCompareOptions(compareTimeoutMs: 1000, expiredScanCycleMs: 1000, checkpointsUs: [])
        let result = CaptureCompare.run(primary: primary, secondary: [], options: options)
        let requests = result.decisions.filter { if case .checkpointRequest = $0.event { true } else { false } }
        // Age 1000 at 1 s is not > 1000; 2 s is the first detection; the run ends at 2.5 s.
        #expect(requests.map(\.timeUs) == [2_000_000])
        #expect(result.counters.primaryQueuedAtEnd == 2)
    }

    @Test("deleteAtEnd releases everything still queued (C-28)")
    func deleteAtEnd() {
        var options = SampleCaptures.options
        options.checkpointsUs = []
        options.deleteAtEnd = true
        let result = CaptureCompare.run(primary: SampleCaptures.primary, secondary: SampleCaptures.secondary, options: options)
        #expect(result.counters.totalReleases == SampleCaptures.primary.count)
        #expect(result.counters.primaryQueuedAtEnd == 0)
    }

    @Test("The text report shows the decisions and the bytes around the first difference")
    func textReport() {
        let result = CaptureCompare.run(primary: SampleCaptures.primary, secondary: SampleCaptures.secondary, options: SampleCaptures.options)
        let text = CompareTextReport.lines(result, primary: SampleCaptures.primary, secondary: SampleCaptures.secondary,
                                           options: SampleCaptures.options)
        #expect(text.contains("   0.000450  CHECKPOINT REQUEST (payload_mismatch) on tcp 10.0.0.2:80 > 10.0.0.1:5000"))
        #expect(text.contains { $0.contains("first difference at seq 1015, byte 3 of 6 compared: primary 0x64 'd', secondary 0x58 'X'") })
        #expect(text.contains { $0.contains("primary   #4 @57:") && $0.contains("[64]") })
        #expect(text.contains { $0.contains("secondary #2 @57:") && $0.contains("[58]") })
        #expect(text.last?.hasPrefix("summary: 6 primary and 4 secondary frames; released 6") == true)
    }
}
