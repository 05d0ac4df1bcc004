import Testing
@testable import Fabric

/// `PcapReader(bytes:name:)`, the pcap fuzz target's way in: the same reader over a capture held
/// in memory reads exactly what it reads from the file.
@Suite("Pcap reader over bytes")
struct PcapMemoryReaderTests {
    let frames = [
        TestPackets.tcpFrame(sequence: 1000, flags: 0x02),
        TestPackets.udpFrame(payload: Array("query".utf8)),
    ]

    func capture(precision: PcapTimestampPrecision) throws -> (path: String, bytes: [UInt8]) {
        let path = PcapScratch.path("memory-\(precision).pcap")
        let writer = try PcapWriter(path: path, snapshotLength: 65_536, precision: precision)
        for (index, frame) in frames.enumerated() {
            try writer.write(frame.bytes, at: PcapTimestamp(nanoseconds: 1_000_000_123 + UInt64(index) * 7))
        }
        try writer.close()
        return (path, PcapScratch.read(path))
    }

    @Test("records, offsets, timestamps and the snapshot length equal the file's", arguments: [PcapTimestampPrecision.microseconds, .nanoseconds])
    func sameAsTheFile(precision: PcapTimestampPrecision) throws {
        let (path, bytes) = try capture(precision: precision)
        let reader = try PcapReader(bytes: bytes, name: "memory")
        #expect(reader.snapshotLength == 65_536)
        #expect(try reader.readAll() == PcapReader.readAll(path: path), "the last byte too")
    }

    @Test("empty bytes and a cut file header are not capture files; errors carry the name")
    func notACapture() throws {
        let (_, bytes) = try capture(precision: .microseconds)
        for broken in [[], Array(bytes.prefix(10))] {
            #expect {
                _ = try PcapReader(bytes: broken, name: "memory")
            } throws: { error in
                guard case .notACaptureFile("memory", let message)? = error as? PcapError else { return false }
                return !message.isEmpty
            }
        }
    }

    @Test("a capture cut inside a record is a truncated record at the file's offset")
    func truncated() throws {
        let (_, bytes) = try capture(precision: .microseconds)
        let cut = Array(bytes.dropLast(5))
        let fromFile = PcapScratch.write(cut, to: "memory-cut.pcap")
        let fileError = #expect(throws: PcapError.self) { try PcapReader.readAll(path: fromFile) }
        let memoryError = #expect(throws: PcapError.self) { try PcapReader(bytes: cut, name: fromFile).readAll() }
        #expect(memoryError != nil && memoryError == fileError)
    }
}
