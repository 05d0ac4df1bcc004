import Foundation
import Testing
@testable import Fabric
@testable import Secondary

@Suite("Capture rewrite to and from pcap (lockstep rewrite)")
struct CaptureRewritePcapTests {
    let flow = Flow()

    @Test("the rewritten capture: every frame once, in order, at its input time; a record truncated when captured keeps its wire length")
    func outputCapture() throws {
        let frames = [flow.toGuest(seq: 1_000, .syn), flow.fromGuest(seq: 90_000, ack: 1_001, [.syn, .ack]), flow.toGuest(seq: 1_001, ack: 5_001, .ack)]
        let records = frames.enumerated().map { index, frame in
            PcapRecord(index: index, offset: 0, timestamp: PcapTimestamp(nanoseconds: 1_700_000_000_000_000_000 + UInt64(index) * 100_000),
                       capturedBytes: frame.bytes, originalLength: index == 2 ? 1_514 : frame.count)
        }
        let input = records.map(TimedFrame.init)
        #expect(input.map(\.timestampMicroseconds) == [1_700_000_000_000_000, 1_700_000_000_000_100, 1_700_000_000_000_200])
        let result = CaptureRewrite.run(input, options: CaptureRewriteOptions(guestAddress: flow.guest))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-rewritten-\(UInt32.random(in: 0...UInt32.max)).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try result.writeOutput(toCapture: path, input: records)
        let written = try PcapReader.readAll(path: path)
        #expect(written.map { Frame($0.capturedBytes) } == result.output.map(\.frame))
        #expect(written.map(\.timestamp) == records.map(\.timestamp))
        #expect(written.map(\.originalLength) == [frames[0].count, frames[1].count, 1_514])
        #expect(written[2].capturedBytes != frames[2].bytes)
    }
}
