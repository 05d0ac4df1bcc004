import Testing
@testable import Fabric

@Suite("filter-dump (B-2)")
struct PcapFilterDumpTests {
    @discardableResult
    func addDump(_ setup: TapAndNIC, file: String?, maxLength: UInt32 = 65_536, version: QEMUNetVersion = .upstream,
                 queue: FilterQueue = .all) throws -> FilterDump {
        let dump = try FilterDump(file: file, maxLength: maxLength, version: version)
        try setup.core.addFilter(dump, options: FilterOptions(id: "dump0", netdev: "tap0", queue: queue))
        return dump
    }

    @Test("B-2: every frame seen is written with the virtual clock's time; frames always continue")
    func writesAndContinues() throws {
        let setup = try TapAndNIC()
        let path = PcapScratch.path("dump-basic.pcap")
        let dump = try addDump(setup, file: path)
        setup.core.virtualNanoseconds = 1_250_000_777
        let first = setup.core.send(testFrame(1), from: setup.tap)
        setup.core.virtualNanoseconds = 3_000_000_000
        let second = setup.core.send(testFrame(2, count: 70), from: setup.nic)
        #expect(first.fate == .delivered(to: "nic0"))
        #expect(second.fate == .delivered(to: "tap0"))
        try dump.flush()
        let records = try PcapReader.readAll(path: path)
        #expect(records.map(\.capturedBytes) == [testFrame(1).bytes, testFrame(2, count: 70).bytes])
        #expect(records.map(\.timestamp.nanoseconds) == [1_250_000_000, 3_000_000_000], "QEMU dumps microseconds")
        #expect(dump.statistics.framesWritten == 2)
    }

    @Test("B-2: records are cut to maxlen, the file's snapshot length is maxlen; maxlen 0 is refused")
    func maxLength() throws {
        let setup = try TapAndNIC()
        let path = PcapScratch.path("dump-maxlen.pcap")
        let dump = try addDump(setup, file: path, maxLength: 20)
        setup.core.send(testFrame(3, count: 64), from: setup.tap)
        try setup.core.removeFilter(id: "dump0")
        let reader = try PcapReader(path: path)
        #expect(reader.snapshotLength == 20)
        let records = try reader.readAll()
        #expect(records.map(\.capturedBytes) == [Array(testFrame(3, count: 64).bytes.prefix(20))])
        #expect(records.map(\.originalLength) == [64])
        #expect(dump.statistics.framesTruncated == 1)
        #expect(throws: FilterPropertyError.invalidMaxLength(0)) { try FilterDump(file: path, maxLength: 0) }
    }

    @Test("B-2: upstream skips the netdev's vnet header bytes; 7.2 writes them")
    func vnetHeaderSkipping() throws {
        for version in [QEMUNetVersion.upstream, .qemu72] {
            let setup = try TapAndNIC(tapVnetHeaderLength: 12)
            let path = PcapScratch.path("dump-vnet-\(version).pcap")
            try addDump(setup, file: path, version: version)
            setup.core.send(testFrame(4, count: 76), from: setup.tap)
            try setup.core.removeFilter(id: "dump0")
            let records = try PcapReader.readAll(path: path)
            let skipped = version == .upstream ? 12 : 0
            #expect(records.map(\.capturedBytes) == [Array(testFrame(4, count: 76).bytes.dropFirst(skipped))], "\(version)")
            #expect(records.map(\.originalLength) == [76 - skipped], "\(version)")
        }
    }

    @Test("B-2 (quirk): a frame shorter than the vnet header stops the dump for good; frames still flow")
    func shortFrameStopsDump() throws {
        let setup = try TapAndNIC(tapVnetHeaderLength: 12)
        let path = PcapScratch.path("dump-short.pcap")
        let dump = try addDump(setup, file: path)
        setup.core.send(testFrame(5, count: 40), from: setup.tap)
        let short = setup.core.send(testFrame(6, count: 8), from: setup.tap)
        let after = setup.core.send(testFrame(7, count: 40), from: setup.tap)
        #expect(short.fate == .delivered(to: "nic0"))
        #expect(after.fate == .delivered(to: "nic0"))
        #expect(dump.stopReason != nil)
        #expect(dump.statistics.framesWritten == 1)
        #expect(dump.statistics.framesNotWritten == 2)
        #expect(try PcapReader.readAll(path: path).count == 1)
    }

    @Test("B-2: setup errors: no file, file cannot be created")
    func setupErrors() throws {
        let setup = try TapAndNIC()
        #expect(throws: FilterCreationError.setupFailed(filter: "dump0", .dumpFileMissing)) { try addDump(setup, file: nil) }
        let badPath = PcapScratch.directory + "/missing/dir/x.pcap"
        #expect {
            try addDump(setup, file: badPath)
        } throws: { error in
            guard case .setupFailed("dump0", .dumpCannotOpen(.cannotCreate(let path, _)))? = error as? FilterCreationError else { return false }
            return path == badPath
        }
    }
}
