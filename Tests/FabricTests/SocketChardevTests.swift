import Foundation
import Testing
@testable import Fabric

/// Filters on two hosts joined by a simulated socket chardev: the mirror's records cross a
/// pipe with chosen chunking and the secondary's redirector injects them (T-1 across hosts).
@Suite("Socket chardevs join filters across hosts")
struct SocketChardevTests {
    final class Hosts {
        let scheduler: Scheduler
        let primary: TapAndNIC
        let secondary: TapAndNIC
        let mirror0 = SocketChardev(id: "mirror0")
        let red0 = SocketChardev(id: "red0")
        let pipe: ChardevPipe
        let f1: FilterRedirector

        init(seed: UInt64, capacity: Int = 212_992, version: QEMUNetVersion = .upstream) throws {
            scheduler = Scheduler(chooser: SeededChooser(seed: seed))
            primary = try TapAndNIC()
            secondary = try TapAndNIC()
            pipe = ChardevPipe(ChardevPipeConfiguration(writerID: "mirror0", readerID: "red0",
                                                        maxJitter: .microseconds(50), capacity: capacity),
                               scheduler: scheduler)
            mirror0.outgoing = pipe
            red0.incoming = pipe
            primary.chardevs.add(mirror0)
            secondary.chardevs.add(red0)
            try primary.core.addFilter(FilterMirror(outdev: "mirror0"), options: FilterOptions(id: "m0", netdev: "tap0", queue: .tx))
            f1 = FilterRedirector(indev: "red0", version: version)
            try secondary.core.addFilter(f1, options: FilterOptions(id: "f1", netdev: "tap0", queue: .tx))
        }
    }

    private func frames(_ count: Int) -> [Frame] {
        let builder = IPv4FrameBuilder(source: IPv4Address(10, 0, 0, 1), destination: IPv4Address(10, 0, 0, 2))
        return (0..<count).map { n in
            builder.udp(sourcePort: 1000, destinationPort: 2000, payload: [UInt8](repeating: UInt8(n & 0xff), count: 10 + n * 37))
        }
    }

    @Test("M-3 + R-5 across a pipe: every client frame reaches both guests, in order, for many chunkings")
    func mirroredFramesReachSecondaryGuest() throws {
        for seed in 1...20 as ClosedRange<UInt64> {
            let hosts = try Hosts(seed: seed)
            let sent = frames(40)
            for frame in sent { hosts.primary.core.send(frame, from: hosts.primary.tap) }
            try hosts.scheduler.runUntilIdle()
            #expect(hosts.primary.guest.frames == sent)
            #expect(hosts.secondary.guest.frames == sent, "seed \(seed)")
            #expect(hosts.mirror0.counters.recordsWritten == 40 && hosts.red0.counters.framesRead == 40)
        }
    }

    @Test("M-4 (fixed): a writer never blocks; records the full pipe refuses wait in order and go out when it drains")
    func backlogKeepsOrder() throws {
        let hosts = try Hosts(seed: 3, capacity: 300)
        hosts.mirror0.writerBlocking = .fixed
        let sent = frames(30)
        for frame in sent { hosts.primary.core.send(frame, from: hosts.primary.tap) }
        #expect(hosts.mirror0.counters.recordsStalled > 0)
        try hosts.scheduler.runUntilIdle()
        #expect(hosts.secondary.guest.frames == sent)
        #expect(hosts.mirror0.backlog.isEmpty)
    }

    @Test("M-4: a write to a disconnected socket fails, is counted, and the frame still reaches the primary guest")
    func disconnectedWriteFails() throws {
        let hosts = try Hosts(seed: 1)
        hosts.pipe.disconnect(.reset)
        let frame = frames(1)[0]
        hosts.primary.core.send(frame, from: hosts.primary.tap)
        try hosts.scheduler.runUntilIdle()
        #expect(hosts.primary.guest.frames == [frame])
        #expect(hosts.secondary.guest.frames.isEmpty)
        #expect(hosts.mirror0.counters.writesFailedDisconnected == 1)
    }

    @Test("R-7 across a pipe: the indev socket's close and reopen reach the redirector; 7.2 is blind for good, upstream reads again")
    func indevCloseAndReopen() throws {
        for version in [QEMUNetVersion.upstream, .qemu72] {
            let hosts = try Hosts(seed: 4, version: version)
            let sent = frames(3)
            hosts.primary.core.send(sent[0], from: hosts.primary.tap)
            try hosts.scheduler.runUntilIdle()
            hosts.pipe.disconnect(.reset)
            #expect(!hosts.f1.isReadingIndev, "\(version): a close stops reading in both versions")
            hosts.pipe.connect()
            #expect(hosts.f1.isReadingIndev == (version == .upstream), "\(version)")
            for frame in sent.dropFirst() { hosts.primary.core.send(frame, from: hosts.primary.tap) }
            try hosts.scheduler.runUntilIdle()
            #expect(hosts.primary.guest.frames == sent)
            if version == .upstream {
                #expect(hosts.secondary.guest.frames == sent)
            } else {
                // The records sit unread in the socket (they still count against its buffer).
                #expect(hosts.secondary.guest.frames == [sent[0]])
                #expect(hosts.pipe.inFlightBytes > 0)
                #expect(hosts.secondary.log.events.contains(.indevReading(filter: "f1", attached: false, cause: .chardevClosed)))
            }
        }
    }

    @Test("W-11 across a pipe: garbage on the indev stops the redirector reading; later records are not injected")
    func framingErrorStopsIndev() throws {
        let hosts = try Hosts(seed: 2)
        _ = hosts.mirror0.writeBytes([0xff, 0xff, 0xff, 0xff] + [UInt8](repeating: 0, count: 70_000))
        try hosts.scheduler.runUntilIdle()
        #expect(hosts.red0.counters.framingErrors == 1)
        #expect(!hosts.f1.isReadingIndev)
        hosts.primary.core.send(frames(1)[0], from: hosts.primary.tap)
        try hosts.scheduler.runUntilIdle()
        #expect(hosts.secondary.guest.frames.isEmpty)
    }

    @Test("B-2 for pipes: every record a pipe delivers is captured with its virtual arrival time")
    func pipeRecordDump() throws {
        let hosts = try Hosts(seed: 9)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-pipe-\(ProcessInfo.processInfo.processIdentifier).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let dump = PipeRecordDump(pipe: hosts.pipe, writer: try PcapWriter(path: path, precision: .nanoseconds))
        var arrivals: [VirtualTime] = []
        hosts.pipe.recordTap.map { tap in
            hosts.pipe.recordTap = { frame in arrivals.append(hosts.scheduler.now); tap(frame) }
        }
        let sent = frames(5)
        for frame in sent { hosts.primary.core.send(frame, from: hosts.primary.tap) }
        try hosts.scheduler.runUntilIdle()
        try dump.writer.close()
        let records = try PcapReader.readAll(path: path)
        #expect(records.map(\.capturedBytes) == sent.map(\.bytes))
        #expect(records.map { Int64($0.timestamp.nanoseconds) } == arrivals.map(\.nanoseconds))
        #expect(dump.recordsWritten == 5 && dump.failure == nil)
    }

    @Test("a record decoded for a chardev whose frontend is gone is counted and goes nowhere")
    func recordWithoutFrontend() throws {
        let scheduler = Scheduler()
        let pipe = ChardevPipe(ChardevPipeConfiguration(writerID: "w", readerID: "r"), scheduler: scheduler)
        let (writer, reader) = (SocketChardev(id: "w"), SocketChardev(id: "r"))
        writer.outgoing = pipe
        reader.incoming = pipe
        var read: [Frame] = []
        try reader.attachFrontend(owner: "f")
        reader.setFrontendHandlers(ChardevFrontendHandlers(read: { read.append($0) }, framingError: { _ in }))
        reader.detachFrontend(owner: "f")
        #expect(writer.writeRecord(frames(1)[0], vnetHeaderLength: 0, includeVnetField: false) == .written)
        try scheduler.runUntilIdle()
        #expect(reader.counters.framesRead == 1 && reader.counters.framesWithoutFrontend == 1)
        #expect(read.isEmpty)
    }

    @Test("the pipe's close and reopen reach the event handler the frontend installed, until it detaches")
    func connectionEventsReachFrontend() throws {
        let scheduler = Scheduler()
        let pipe = ChardevPipe(ChardevPipeConfiguration(writerID: "w", readerID: "r"), scheduler: scheduler)
        let port = SocketChardev(id: "r")
        port.incoming = pipe
        var events: [ChardevEvent] = []
        try port.attachFrontend(owner: "f")
        port.setFrontendHandlers(ChardevFrontendHandlers(read: { _ in }, framingError: { _ in }, event: { events.append($0) }))
        pipe.disconnect(.reset)
        pipe.disconnect(.writerClosed)
        pipe.connect()
        #expect(events == [.closed, .opened])
        port.detachFrontend(owner: "f")
        pipe.disconnect()
        #expect(events == [.closed, .opened])
    }

    @Test("a chardev takes one frontend")
    func singleFrontend() throws {
        let port = SocketChardev(id: "c")
        try port.attachFrontend(owner: "a")
        #expect(throws: ChardevAttachError.alreadyInUse(chardev: "c", owner: "a")) { try port.attachFrontend(owner: "b") }
    }
}
