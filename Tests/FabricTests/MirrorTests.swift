import Testing
@testable import Fabric

@Suite("filter-mirror (M-1…M-5, W-3)")
struct MirrorTests {
    @discardableResult
    func addMirror(_ setup: TapAndNIC, id: String = "m0", outdev: String? = "mirror0", queue: FilterQueue = .tx,
                   vnet: Bool = false) throws -> FilterMirror {
        let mirror = FilterMirror(outdev: outdev, vnetHeaderSupport: vnet)
        try setup.core.addFilter(mirror, options: FilterOptions(id: id, netdev: "tap0", queue: queue))
        return mirror
    }

    @Test("M-2: setup errors in order: outdev missing, chardev not found, chardev already in use")
    func setupErrors() throws {
        let setup = try TapAndNIC()
        #expect(throws: FilterCreationError.setupFailed(filter: "m0", .mirrorOutdevMissing)) {
            try addMirror(setup, outdev: nil)
        }
        #expect(throws: FilterCreationError.setupFailed(filter: "m0", .chardevNotFound(id: "mirror0", role: .mirrorOutdev))) {
            try addMirror(setup)
        }
        setup.addChardev("mirror0")
        try addMirror(setup, id: "first")
        #expect(throws: FilterCreationError.setupFailed(
            filter: "m0", .chardevAttachFailed(id: "mirror0", role: .mirrorOutdev, reason: .alreadyInUse(chardev: "mirror0", owner: "first")))) {
            try addMirror(setup)
        }
        #expect(setup.filterOrder == ["first"])
    }

    @Test("M-3: each frame it sees is copied as one record; the original continues to the peer")
    func copiesAndContinues() throws {
        let setup = try TapAndNIC()
        let port = setup.addChardev("mirror0")
        let mirror = try addMirror(setup)
        let outcome = setup.core.send(testFrame(1, count: 74), from: setup.tap)
        #expect(outcome.fate == .delivered(to: "nic0"))
        #expect(outcome.returnValue == 74)
        #expect(setup.guest.frames == [testFrame(1, count: 74)])
        #expect(port.records == [RecordingChardev.Record(payload: testFrame(1, count: 74).bytes, vnetHeaderLength: nil)])
        #expect(mirror.statistics.framesCopied == 1 && mirror.statistics.bytesCopied == 74)
        #expect(setup.log.events(of: outcome.walk).contains(
            .filterCopied(outcome.walk, filter: "m0", direction: .tx, output: FilterOutput(destination: "chardev mirror0", result: .written(bytes: 74)))))
    }

    @Test("M-3 / F-2: a queue=tx mirror never sees guest output")
    func txMirrorIgnoresGuestOutput() throws {
        let setup = try TapAndNIC()
        let port = setup.addChardev("mirror0")
        try addMirror(setup)
        setup.core.send(testFrame(2), from: setup.nic)
        #expect(port.records.isEmpty)
        #expect(setup.wire.frames == [testFrame(2)])
    }

    @Test("M-3: the copy is the frame as it is at the mirror's point of the walk, earlier filters' changes included")
    func copiesModifiedFrame() throws {
        let setup = try TapAndNIC()
        let port = setup.addChardev("mirror0")
        try setup.addProbe("rewrite", queue: .tx, behaviour: .stealAndReinject { Frame($0.bytes.map { $0 &+ 1 }) })
        try addMirror(setup)
        setup.core.send(testFrame(3), from: setup.tap)
        let modified = testFrame(3).bytes.map { $0 &+ 1 }
        #expect(port.records.map(\.payload) == [modified])
        #expect(setup.guest.frames.map(\.bytes) == [modified])
    }

    @Test("W-3: the V written is the netdev's current vnet header length, not the frame's, and only with vnet_hdr_support")
    func vnetFieldIsNetdevs() throws {
        let setup = try TapAndNIC(tapVnetHeaderLength: 12)
        let withField = setup.addChardev("mirror0")
        let withoutField = setup.addChardev("mirror1")
        try addMirror(setup, vnet: true)
        try addMirror(setup, id: "m1", outdev: "mirror1", vnet: false)
        setup.core.send(Frame(testFrame(4).bytes, vnetHeaderLength: 99), from: setup.tap)
        setup.tap.vnetHeaderLength = 10
        setup.core.send(Frame(testFrame(5).bytes, vnetHeaderLength: 99), from: setup.tap)
        #expect(withField.records.map(\.vnetHeaderLength) == [12, 10])
        #expect(withoutField.records.map(\.vnetHeaderLength) == [nil, nil])
        #expect(try withField.records.first?.encoded().prefix(8) == [0, 0, 0, 64, 0, 0, 0, 12])
    }

    @Test("W-3: a zero-length frame produces no record and still continues")
    func zeroLengthNoRecord() throws {
        let setup = try TapAndNIC()
        let port = setup.addChardev("mirror0")
        let mirror = try addMirror(setup)
        let outcome = setup.core.send(Frame([]), from: setup.tap)
        #expect(port.records.isEmpty)
        #expect(outcome.fate == .delivered(to: "nic0"))
        #expect(mirror.statistics.emptyFramesNotCopied == 1)
    }

    @Test("M-4: a failed write is counted and reported; the frame still continues")
    func writeFailure() throws {
        let setup = try TapAndNIC()
        let port = setup.addChardev("mirror0")
        port.failWritesWithErrno = 32
        let mirror = try addMirror(setup)
        let outcome = setup.core.send(testFrame(6), from: setup.tap)
        #expect(outcome.fate == .delivered(to: "nic0"))
        #expect(mirror.statistics.writeFailures == 1)
        let copied = setup.log.events(of: outcome.walk).compactMap { event -> FilterOutput? in
            if case .filterCopied(_, "m0", _, let output) = event { output } else { nil }
        }
        #expect(copied.first?.result == .failed(code: 32, reason: CLibrary.errorText(32)))
    }

    @Test("M-5: the mirror never reads from outdev; F-11: deleting it frees the chardev")
    func neverReadsAndReleases() throws {
        let setup = try TapAndNIC()
        let port = setup.addChardev("mirror0")
        try addMirror(setup)
        #expect(!port.readHandlersInstalled)
        #expect(port.frontendOwner == "m0")
        try setup.core.removeFilter(id: "m0")
        #expect(port.frontendOwner == nil)
        try addMirror(setup, id: "again")
        #expect(port.frontendOwner == "again")
    }
}
