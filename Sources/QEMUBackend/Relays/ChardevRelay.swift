import Glibc
import Fabric
import Deployment

/// Lockstep in the middle of one chardev socket: the client chardev connects to the relay,
/// which connects on to the server chardev and forwards bytes both ways as they come. It logs
/// every record its writer wrote, counts what the reader decodes (QEMU's reader stops for good
/// at its first framing error, W-10), and plays a scenario's faults on the stream: a damaged,
/// dropped or doubled record, a reset with reconnection refused for a while, reads cut anywhere.
final class ChardevRelay {
    struct Counters: Sendable, Hashable {
        var recordsWritten = 0
        var bytesWritten: UInt64 = 0
        var bytesForwarded: UInt64 = 0
        var bytesLost: UInt64 = 0
        var bytesDroppedByFault: UInt64 = 0
        var faultsInjected = 0
        var readerFramesDecoded = 0
        var readerFramingErrors = 0
        var connections = 0
    }

    let plan: RealTopologyPlan.RelayPlan
    private let listener: StreamListener
    private let scheduler: Scheduler
    private let splitsChunks: Bool
    private var clientSide: StreamConnection?
    private var serverSide: StreamConnection?
    private var splitter: RecordSplitter
    private var readerView: RecordDecoder
    private var pendingFaults: [ChardevRecordFault] = []
    /// A writer whose `vnet_hdr_support` was changed frames its next record the new way.
    private var pendingWriterFraming: Bool?
    private var held: [UInt8]?
    private var downUntil: VirtualTime?
    private var pieces: [(due: VirtualTime, bytes: [UInt8])] = []
    private(set) var counters = Counters()
    private(set) var readerStopped = false
    /// Each record the writer wrote, as it is forwarded.
    var onRecord: ((Frame) -> Void)?
    /// Each frame the reader decodes from what was forwarded (what QEMU's reader gets).
    var onReaderFrame: ((Frame) -> Void)?
    /// The reader hit a framing error and stops reading (W-10).
    var onReaderFramingError: ((FramingError) -> Void)?
    /// A connection was made again after a scripted disconnect.
    var onReconnected: (() -> Void)?

    init(plan: RealTopologyPlan.RelayPlan, scheduler: Scheduler, splitsChunks: Bool) throws(BackendSocketError) {
        self.plan = plan
        self.scheduler = scheduler
        self.splitsChunks = splitsChunks
        listener = try StreamListener(path: plan.listenPath)
        splitter = RecordSplitter(withVnetField: plan.writerFramesVnetField)
        readerView = RecordDecoder(vnetHeaderSupport: plan.readerExpectsVnetField, input: plan.reader?.chardev ?? "")
    }

    /// Both chardevs are joined through the relay.
    var isConnected: Bool { clientSide?.isOpen == true && serverSide?.isOpen == true }

    var name: String { plan.writer.flatMap { w in plan.reader.map { "\(w)-\($0)" } } ?? plan.link.description }

    func involves(chardev: String) -> Bool {
        plan.link.server.chardev == chardev || plan.link.client.chardev == chardev
    }

    var descriptors: [pollfd] {
        var fds = [pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0)]
        for side in [clientSide, serverSide].compactMap({ $0 }) where side.isOpen {
            fds.append(pollfd(fd: side.fd, events: Int16(POLLIN) | (side.hasPendingOutput ? Int16(POLLOUT) : 0), revents: 0))
        }
        return fds
    }

    // MARK: Serving

    func service() {
        acceptIfWaiting()
        guard let clientSide, let serverSide else { return }
        clientSide.flush()
        serverSide.flush()
        let writerIsServer = plan.writer == plan.link.server
        pump(from: serverSide, to: clientSide, carriesRecords: writerIsServer && plan.writer != nil)
        pump(from: clientSide, to: serverSide, carriesRecords: !writerIsServer && plan.writer != nil)
        flushDuePieces()
        if !clientSide.isOpen || !serverSide.isOpen { dropConnection(lost: true) }
    }

    private func acceptIfWaiting() {
        guard let accepted = listener.accept(label: "\(plan.link.client)") else { return }
        if let downUntil, scheduler.now < downUntil {
            accepted.close()
            return
        }
        if clientSide != nil { dropConnection(lost: true) }
        guard let onward = try? StreamConnection.connect(path: plan.serverPath, label: "\(plan.link.server)") else {
            accepted.close()
            return
        }
        clientSide = accepted
        serverSide = onward
        counters.connections += 1
        if downUntil != nil {
            downUntil = nil
            onReconnected?()
        }
    }

    private func pump(from source: StreamConnection, to destination: StreamConnection, carriesRecords: Bool) {
        while source.isOpen {
            switch source.read() {
            case .bytes(let chunk):
                if carriesRecords {
                    counters.bytesWritten += UInt64(chunk.count)
                    relayRecords(chunk, to: destination)
                } else {
                    destination.write(chunk)
                }
            case .nothing:
                return
            case .closed:
                source.close()
                return
            }
        }
    }

    /// Forwards the writer's bytes at once; only a record that a fault applies to is held until
    /// it is whole, then written damaged, not at all, or twice.
    private func relayRecords(_ chunk: ArraySlice<UInt8>, to destination: StreamConnection) {
        var passStart = chunk.startIndex
        for index in chunk.indices {
            if let framing = pendingWriterFraming, splitter.isAtBoundary {
                splitter = RecordSplitter(withVnetField: framing)
                pendingWriterFraming = nil
            }
            if held != nil {
                held?.append(chunk[index])
            } else if !pendingFaults.isEmpty && splitter.isAtBoundary {
                forward(Array(chunk[passStart..<index]), to: destination)
                held = [chunk[index]]
            }
            splitter.feed(CollectionOfOne(chunk[index])) { raw, frame in
                counters.recordsWritten += 1
                onRecord?(frame)
                guard held != nil, let fault = pendingFaults.first else { return }
                pendingFaults.removeFirst()
                held = nil
                passStart = index + 1
                counters.faultsInjected += 1
                switch fault {
                case .corruptLength:
                    var damaged = raw
                    for byte in 0..<4 { damaged[byte] = 0xFF }
                    forward(damaged, to: destination)
                case .drop:
                    counters.bytesDroppedByFault += UInt64(raw.count)
                case .duplicate:
                    forward(raw + raw, to: destination)
                }
            }
        }
        if held == nil && passStart < chunk.endIndex {
            forward(Array(chunk[passStart...]), to: destination)
        }
    }

    private func forward(_ bytes: [UInt8], to destination: StreamConnection) {
        guard !bytes.isEmpty else { return }
        if splitsChunks {
            // Pieces 50 µs apart reach QEMU's reader in separate reads, cut where the chooser says.
            var rest = bytes[...]
            var due = max(pieces.last?.due ?? scheduler.now, scheduler.now)
            while !rest.isEmpty {
                let size = 1 + Int(scheduler.chooser.choose(ChoicePoint(.chunkSplit, "relay \(name)"), upTo: UInt64(rest.count - 1)))
                due = due + .microseconds(50)
                pieces.append((due, Array(rest.prefix(size))))
                rest = rest.dropFirst(size)
                scheduler.schedule(at: due, EventLabel("relay \(name) piece")) { [weak self] in self?.flushDuePieces() }
            }
            return
        }
        send(bytes, to: destination)
    }

    private func flushDuePieces() {
        guard let destination = (plan.writer == plan.link.server ? clientSide : serverSide) else { return }
        while let first = pieces.first, first.due <= scheduler.now {
            pieces.removeFirst()
            send(first.bytes, to: destination)
        }
    }

    private func send(_ bytes: [UInt8], to destination: StreamConnection) {
        counters.bytesForwarded += UInt64(bytes.count)
        destination.write(bytes)
        guard !readerStopped else { return }
        let error = readerView.feed(bytes) { frame in
            counters.readerFramesDecoded += 1
            onReaderFrame?(frame)
        }
        if let error {
            readerStopped = true
            counters.readerFramingErrors += 1
            onReaderFramingError?(error)
        }
    }

    /// `qom-set vnet_hdr_support` on the writing frontend: its later records carry (or drop)
    /// the V field; the reader keeps the framing it was created with (W-12).
    func writerFramingChanged(withVnetField: Bool) {
        pendingWriterFraming = withVnetField
    }

    // MARK: Faults

    func inject(_ fault: ChardevRecordFault) {
        pendingFaults.append(fault)
    }

    /// A reset: both connections close, what was in flight is lost, and connections are refused
    /// until `duration` has passed (the client chardev then reconnects on its own schedule).
    func disconnect(for duration: VirtualDuration) {
        dropConnection(lost: true)
        downUntil = scheduler.now + duration
    }

    private func dropConnection(lost: Bool) {
        if lost, let held { counters.bytesLost += UInt64(held.count) }
        held = nil
        counters.bytesLost += UInt64(pieces.reduce(0) { $0 + $1.bytes.count })
        pieces.removeAll()
        clientSide?.close()
        serverSide?.close()
        clientSide = nil
        serverSide = nil
    }

    func close() {
        dropConnection(lost: false)
        listener.close()
    }
}
