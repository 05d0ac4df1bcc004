import Testing
@testable import Fabric
@testable import Primary

/// colo-compare wired to socket chardevs (`CompareNode`): what its output does when outdev's
/// reader stops reading (C-23, C-24) and when the compare is deleted (C-28).
@Suite("colo-compare on socket chardevs")
struct CompareNodeOutputTests {
    final class Setup {
        let scheduler = Scheduler()
        let primaryIn = SocketChardev(id: "compare0-0")
        let secondaryIn = SocketChardev(id: "compare1")
        let outdev = SocketChardev(id: "compare_out0")
        let toPrimaryIn: ChardevPipe
        let fromOutdev: ChardevPipe
        let node: CompareNode
        var read: [Frame] = []

        init(outdevCapacity: Int) throws {
            toPrimaryIn = ChardevPipe(ChardevPipeConfiguration(writerID: "compare0", readerID: "compare0-0"), scheduler: scheduler)
            primaryIn.incoming = toPrimaryIn
            fromOutdev = ChardevPipe(ChardevPipeConfiguration(writerID: "compare_out0", readerID: "compare_out", capacity: outdevCapacity),
                                     scheduler: scheduler)
            outdev.outgoing = fromOutdev
            node = try CompareNode(
                id: "comp0", configuration: COLOCompare.Configuration(), process: CompareProcess(), scheduler: scheduler,
                primaryIn: primaryIn, secondaryIn: secondaryIn, outdev: outdev)
            fromOutdev.onFrame = { [unowned self] in read.append($0) }
            fromOutdev.pauseReading()
        }

        /// A primary record the compare releases at once: it does not parse (C-3, an IPv6 frame).
        func sendUnparseable(_ tag: UInt8) {
            let frame = Frame([UInt8](repeating: 0xff, count: 12) + [0x86, 0xdd] + [UInt8](repeating: tag, count: 1_000))
            let record = (try? RecordEncoder(vnetHeaderSupport: false).record(payload: frame.bytes, vnetHeaderLength: 0)) ?? []
            _ = toPrimaryIn.write(record)
        }
    }

    @Test("C-23/C-24: releases meeting a full outdev wait in the send queue; when its reader reads again the record the drain waited on goes first, then the rest newest first")
    func blockedOutputNewestFirst() throws {
        let setup = try Setup(outdevCapacity: 2_500)
        for tag: UInt8 in 1...5 { setup.sendUnparseable(tag) }
        try setup.scheduler.run(until: setup.scheduler.now + .milliseconds(10))
        #expect(setup.node.counters.released == 5)
        #expect(setup.node.counters.outdevRecordsWritten == 2)
        #expect(setup.node.engine.pendingOutputCount == 3, "one held by the blocked write, two in the send queue")
        setup.fromOutdev.resumeReading()
        try setup.scheduler.run(until: setup.scheduler.now + .milliseconds(10))
        #expect(setup.read.map { $0.bytes.last ?? 0 } == [1, 2, 3, 5, 4])
        #expect(setup.node.counters.outdevRecordsWritten == 5)
        #expect(setup.node.engine.pendingOutputCount == 0)
    }

    @Test("C-28 (QEMU): deleting a compare whose output is blocked loses the held record and the queued ones, each counted as a failed write")
    func deletionLosesBlockedOutput() throws {
        let setup = try Setup(outdevCapacity: 2_500)
        for tag: UInt8 in 1...5 { setup.sendUnparseable(tag) }
        try setup.scheduler.run(until: setup.scheduler.now + .milliseconds(10))
        setup.node.delete(.qemu)
        setup.fromOutdev.resumeReading()
        try setup.scheduler.run(until: setup.scheduler.now + .milliseconds(10))
        #expect(setup.read.count == 2)
        #expect(setup.node.counters.outdevWritesFailed == 3)
        #expect(setup.node.counters.outdevRecordsWritten + setup.node.counters.outdevWritesFailed == setup.node.counters.released)
    }
}
