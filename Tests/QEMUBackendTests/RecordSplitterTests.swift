import Testing
import Fabric
@testable import QEMUBackend

@Suite("Real backend: cutting a chardev stream into records")
struct RecordSplitterTests {
    @Test("W-1: records split anywhere, with and without the V field, come out whole")
    func splitAnywhere() throws {
        for withVnet in [false, true] {
            let frames: [[UInt8]] = [[1, 2, 3], [], Array(0..<200)]
            var stream: [UInt8] = []
            for frame in frames { try RecordEncoder(vnetHeaderSupport: withVnet).appendRecord(payload: frame, vnetHeaderLength: 0, to: &stream) }
            var splitter = RecordSplitter(withVnetField: withVnet)
            var out: [[UInt8]] = []
            for byte in stream { splitter.feed([byte]) { _, frame in out.append(frame.bytes) } }
            #expect(out == frames)
            #expect(splitter.isAtBoundary)
        }
    }
}
