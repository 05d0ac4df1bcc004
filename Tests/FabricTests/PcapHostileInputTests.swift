import Foundation
import Glibc
import Testing
@testable import Fabric

/// Issue #19, captures read and written by Fabric: nothing a capture lost, and nothing outside
/// what a pcap record holds, passes without a word.
@Suite("pcap: hostile captures")
struct PcapHostileInputTests {
    /// A little-endian microsecond capture with raw record headers (seconds, fraction, caplen, len, data).
    static func capture(_ records: [(UInt32, UInt32, UInt32, UInt32, [UInt8])]) throws -> String {
        var bytes: [UInt8] = [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0]
        for (seconds, fraction, caplen, length, data) in records {
            for field in [seconds, fraction, caplen, length] { bytes += withUnsafeBytes(of: field.littleEndian, Array.init) }
            bytes += data
        }
        let path = "/tmp/lockstep-pcap-hostile-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).pcap"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let frame = [UInt8](repeating: 0xab, count: 60)

    @Test("Seconds at and after 2^31 read as the file's unsigned value, not before 1970", arguments: [UInt32(1) << 31, UInt32.max])
    func unsignedSeconds(_ seconds: UInt32) throws {
        let path = try Self.capture([(seconds, 5, 60, 60, Self.frame)])
        defer { unlink(path) }
        let record = try #require(try PcapReader.readAll(path: path).first)
        #expect(record.timestamp.seconds == UInt64(seconds))
        #expect(record.timestamp.nanosecondsIntoSecond == 5_000)
    }

    @Test("A sub-second field of a second or more is flagged and warned about", arguments: [UInt32(1_000_000), UInt32.max])
    func fractionOutOfRange(_ fraction: UInt32) throws {
        let path = try Self.capture([(100, 0, 60, 60, Self.frame), (100, fraction, 60, 60, Self.frame)])
        defer { unlink(path) }
        let records = try PcapReader.readAll(path: path)
        #expect(records.map(\.fractionOutOfRange) == [false, true])
        let warnings = CaptureDamage(records).warnings(path: "x.pcap")
        #expect(warnings == ["warning: capture 'x.pcap': 1 record(s) have a sub-second field of a second or more (the first, #1); "
                             + "read as the last nanosecond of their second"])
    }

    @Test("Records cut short by the capture, caplen 0 included, are counted with the first one named")
    func cutShort() throws {
        let path = try Self.capture([(1, 0, 60, 60, Self.frame), (1, 1, 0, 60, []), (1, 2, 20, 60, Array(Self.frame.prefix(20)))])
        defer { unlink(path) }
        let damage = CaptureDamage(try PcapReader.readAll(path: path))
        #expect(damage.truncated == 2)
        #expect(damage.warnings(path: "y.pcap") == [
            "warning: capture 'y.pcap': 2 record(s) cut short by the capture (caplen < len; the first, #1, keeps 0 of 60 bytes); "
                + "they are processed as captured",
        ])
    }

    @Test("The writer refuses a timestamp past what a record holds instead of wrapping it")
    func writerRefusesFarFuture() throws {
        let path = "/tmp/lockstep-pcap-future-\(getpid()).pcap"
        defer { unlink(path) }
        let writer = try PcapWriter(path: path)
        #expect(throws: PcapError.timestampOutOfRange(path: path, recordIndex: 0, seconds: 1 << 32)) {
            try writer.write(Self.frame, at: PcapTimestamp(seconds: 1 << 32, nanosecondsIntoSecond: 0))
        }
        try writer.write(Self.frame, at: PcapTimestamp(seconds: UInt64(UInt32.max), nanosecondsIntoSecond: 0))
        try writer.close()
        #expect(try PcapReader.readAll(path: path).map(\.timestamp.seconds) == [UInt64(UInt32.max)])
    }

    @Test("InputFile: a directory, /dev/zero and an empty path get one reason each, without reading forever")
    func boundedInputFiles() {
        for (path, expected) in [("/tmp", InputFile.ReadError.isDirectory(path: "/tmp")),
                                 ("/dev/zero", .tooLarge(path: "/dev/zero", limit: 1 << 20)),
                                 ("", .cannotOpen(path: "", reason: "the path is empty"))] {
            #expect(throws: expected) { try InputFile.bytes(path, limit: 1 << 20) }
        }
    }
}
