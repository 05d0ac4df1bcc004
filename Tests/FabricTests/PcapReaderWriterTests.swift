import Testing
@testable import Fabric

@Suite("Pcap writer and reader (libpcap)")
struct PcapReaderWriterTests {
    let frames = [
        TestPackets.tcpFrame(sequence: 1000, flags: 0x02),
        TestPackets.udpFrame(payload: Array("query".utf8)),
        TestPackets.tcpFrame(toGuest: false, sequence: 5000, acknowledgement: 1001, flags: 0x12),
    ]
    let stamps: [UInt64] = [1_000_000_123, 1_500_000_999, 2_000_001_001]

    func writeSample(_ name: String, precision: PcapTimestampPrecision, snapshotLength: Int = 65_536) throws -> String {
        let path = PcapScratch.path(name)
        let writer = try PcapWriter(path: path, snapshotLength: snapshotLength, precision: precision)
        for (frame, stamp) in zip(frames, stamps) {
            try writer.write(frame.bytes, at: PcapTimestamp(nanoseconds: stamp))
        }
        try writer.close()
        return path
    }

    @Test("Round trip with microsecond timestamps: bytes, lengths, offsets, timestamps cut to µs")
    func roundTripMicro() throws {
        let path = try writeSample("micro.pcap", precision: .microseconds)
        let records = try PcapReader.readAll(path: path)
        #expect(records.map(\.capturedBytes) == frames.map(\.bytes))
        #expect(records.map(\.originalLength) == frames.map(\.count))
        #expect(records.map(\.timestamp.nanoseconds) == [1_000_000_000, 1_500_000_000, 2_000_001_000])
        #expect(records.map(\.index) == [0, 1, 2])
        var offset: Int64 = 24
        for record in records {
            #expect(record.offset == offset)
            offset += 16 + Int64(record.capturedBytes.count)
        }
        #expect(Array(PcapScratch.read(path).prefix(4)) == [0xD4, 0xC3, 0xB2, 0xA1], "QEMU's microsecond magic, little-endian")
    }

    @Test("Round trip with nanosecond timestamps keeps them exactly")
    func roundTripNano() throws {
        let path = try writeSample("nano.pcap", precision: .nanoseconds)
        let records = try PcapReader.readAll(path: path)
        #expect(records.map(\.timestamp.nanoseconds) == stamps)
        #expect(Array(PcapScratch.read(path).prefix(4)) == [0x4D, 0x3C, 0xB2, 0xA1])
    }

    @Test("Snapshot length truncates records and keeps the original length")
    func snapshotTruncation() throws {
        let path = try writeSample("snap.pcap", precision: .microseconds, snapshotLength: 20)
        let reader = try PcapReader(path: path)
        #expect(reader.snapshotLength == 20)
        let records = try reader.readAll()
        #expect(records.map(\.capturedBytes) == frames.map { Array($0.bytes.prefix(20)) })
        #expect(records.map(\.originalLength) == frames.map(\.count))
        #expect(records.allSatisfy { $0.isTruncated })
    }

    @Test("An empty record and a record whose caller already truncated it")
    func explicitOriginalLength() throws {
        let path = PcapScratch.path("orig.pcap")
        let writer = try PcapWriter(path: path)
        try writer.write([UInt8](), at: PcapTimestamp(nanoseconds: 0))
        try writer.write([1, 2, 3], originalLength: 1500, at: PcapTimestamp(nanoseconds: 5))
        try writer.flush()
        let records = try PcapReader.readAll(path: path)
        #expect(records.map(\.capturedBytes) == [[], [1, 2, 3]])
        #expect(records.map(\.originalLength) == [0, 1500])
        #expect(writer.recordsWritten == 2)
    }

    @Test("Writer misuse and failures are typed errors")
    func writerErrors() throws {
        #expect(throws: PcapError.invalidSnapshotLength(0)) { try PcapWriter(path: PcapScratch.path("x.pcap"), snapshotLength: 0) }
        let badPath = PcapScratch.directory + "/no/such/dir/x.pcap"
        #expect {
            try PcapWriter(path: badPath)
        } throws: { error in
            guard case .cannotCreate(let path, let reason)? = error as? PcapError else { return false }
            return path == badPath && !reason.isEmpty
        }
        let path = PcapScratch.path("closed.pcap")
        let writer = try PcapWriter(path: path)
        try writer.close()
        try writer.close()
        #expect(throws: PcapError.alreadyClosed(path: path)) { try writer.write([1], at: PcapTimestamp(nanoseconds: 0)) }
    }

    // MARK: Broken files

    func openError(_ path: String) -> PcapError? {
        do {
            _ = try PcapReader.readAll(path: path)
            return nil
        } catch {
            return error
        }
    }

    @Test("A missing file is reported as such")
    func missingFile() {
        let path = PcapScratch.directory + "/does-not-exist.pcap"
        #expect(openError(path) == .fileNotFound(path: path))
    }

    @Test("Empty file, random bytes and a truncated file header are not capture files; libpcap's text and the path are kept",
          arguments: ["empty", "random", "header10"])
    func notACaptureFile(kind: String) throws {
        var generator = SeededBytes(state: 42)
        let valid = PcapScratch.read(try writeSample("valid-\(kind).pcap", precision: .microseconds))
        let bytes: [UInt8] =
            switch kind {
            case "empty": []
            case "random": generator.bytes(4096)
            default: Array(valid.prefix(10))
            }
        let path = PcapScratch.write(bytes, to: "broken-\(kind).pcap")
        let error = try #require(openError(path))
        guard case .notACaptureFile(let reportedPath, let message) = error else {
            Issue.record("expected notACaptureFile, got \(error)")
            return
        }
        #expect(reportedPath == path)
        #expect(!message.isEmpty)
        #expect(error.description.contains(path))
    }

    @Test("A directory is not a capture file, and reading it does not crash")
    func directoryPath() {
        let error = openError(PcapScratch.directory)
        switch error {
        case .notACaptureFile(let path, _)?, .cannotOpen(let path, _)?: #expect(path == PcapScratch.directory)
        default: Issue.record("unexpected \(String(describing: error))")
        }
    }

    @Test("A file cut inside a record's data names the file, the record index and its offset; earlier records are readable")
    func truncatedRecordData() throws {
        let valid = PcapScratch.read(try writeSample("valid-cut.pcap", precision: .microseconds))
        let path = PcapScratch.write(Array(valid.dropLast(10)), to: "cut-data.pcap")
        let reader = try PcapReader(path: path)
        #expect(try reader.next()?.index == 0)
        #expect(try reader.next()?.index == 1)
        let thirdOffset = Int64(24 + 2 * 16 + frames[0].count + frames[1].count)
        #expect {
            _ = try reader.next()
        } throws: { error in
            guard case .truncatedRecord(let reportedPath, 2, let offset, let message)? = error as? PcapError else { return false }
            return reportedPath == path && offset == thirdOffset && message.contains("truncated")
        }
        #expect(try reader.next() == nil, "after an error the reader stays finished")
    }

    @Test("A file cut inside a record header is a truncated record too")
    func truncatedRecordHeader() throws {
        let valid = PcapScratch.read(try writeSample("valid-hdr.pcap", precision: .microseconds))
        let path = PcapScratch.write(valid + [1, 2, 3, 4, 5], to: "cut-header.pcap")
        #expect {
            _ = try PcapReader.readAll(path: path)
        } throws: { error in
            guard case .truncatedRecord(_, 3, let offset, _)? = error as? PcapError else { return false }
            return offset == Int64(valid.count)
        }
    }

    @Test("A record header with an absurd captured length is a corrupt record, not a crash")
    func corruptRecordLength() throws {
        var valid = PcapScratch.read(try writeSample("valid-corrupt.pcap", precision: .microseconds))
        // First record's caplen field (little-endian) at 24 + 8.
        valid.replaceSubrange(32..<36, with: [0xF0, 0xFF, 0xFF, 0xFF])
        let path = PcapScratch.write(valid, to: "corrupt.pcap")
        #expect {
            _ = try PcapReader.readAll(path: path)
        } throws: { error in
            guard case .corruptRecord(let reportedPath, 0, 24, _)? = error as? PcapError else { return false }
            return reportedPath == path
        }
    }

    @Test("A capture of another link type is refused with its name")
    func nonEthernet() throws {
        var header = PcapScratch.read(try writeSample("valid-link.pcap", precision: .microseconds))
        header.replaceSubrange(20..<24, with: [101, 0, 0, 0])  // LINKTYPE_RAW
        let path = PcapScratch.write(header, to: "raw-ip.pcap")
        #expect(openError(path) == .unsupportedLinkType(path: path, linkType: 12, name: "RAW")
            || openError(path) == .unsupportedLinkType(path: path, linkType: 101, name: "RAW"))
    }
}
