import Collections

/// A `-chardev socket` as one QEMU process sees it: the frontend (a filter or colo-compare)
/// writes framed records into `outgoing` and reads decoded frames from `incoming`.
///
/// QEMU's writers block until a whole record is written (M-4, W-3). With
/// `WriterBlocking.qemu` a record the pipe refuses for want of room is answered `.blocked`: it
/// waits here until the pipe has room for all of it, and the writer hears then how the write
/// ended (`whenBlockedWriteFinishes`). With `.fixed` it waits in an unbounded backlog instead,
/// written in order when the pipe drains, and the writer is told at once it succeeded. Stalls
/// are counted so a report can show them.
public final class SocketChardev: ChardevPort {
    public struct Counters: Sendable, Hashable {
        public var recordsWritten = 0
        /// `.fixed`: records that waited in the backlog.
        public var recordsStalled = 0
        /// `.qemu`: writes that blocked for want of room in the socket.
        public var writesBlocked = 0
        public var writesFailedDisconnected = 0
        public var framesRead = 0
        /// Decoded while no frontend had handlers installed (none attached, or it was deleted).
        public var framesWithoutFrontend = 0
        public var framingErrors = 0
    }

    public let chardevID: String
    public let outputDestination: String
    public private(set) var frontendOwner: String?
    // Touched for every record written; single-threaded and only changed in place, so their
    // dynamic exclusivity checks are off.
    @exclusivity(unchecked) public private(set) var counters = Counters()
    /// `.fixed`: records accepted from the frontend but not yet in the pipe (writer stalled).
    @exclusivity(unchecked) public private(set) var backlog: Deque<[UInt8]> = []
    /// What a writer does when the pipe has no room (set before the first write).
    public var writerBlocking: WriterBlocking
    /// `.qemu`: writes waiting for room, oldest first.
    private var blockedWrites = Deque<BlockedChardevWrite>()

    public var outgoing: ChardevPipe? {
        didSet {
            outgoing?.onWritable = { [unowned self] in
                switch self.writerBlocking {
                case .qemu: self.finishBlockedWrites()
                case .fixed: self.drainBacklog()
                }
            }
        }
    }

    /// Whether a writer is blocked in a write on this chardev.
    public var hasBlockedWrite: Bool { !blockedWrites.isEmpty }

    /// The pipe it reads: its decoded records, framing errors (W-10, W-11) and connection
    /// events go to the frontend's handlers.
    public var incoming: ChardevPipe? {
        didSet {
            incoming?.onFrame = { [unowned self] frame in
                self.counters.framesRead += 1
                guard let read = self.frontendHandlers?.read else {
                    self.counters.framesWithoutFrontend += 1
                    return
                }
                read(frame)
            }
            incoming?.onFramingError = { [unowned self] error in
                self.counters.framingErrors += 1
                self.frontendHandlers?.framingError(error)
            }
            incoming?.onConnectionEvent = { [unowned self] event in self.frontendHandlers?.event?(event) }
        }
    }

    private var frontendHandlers: ChardevFrontendHandlers?

    public init(id: String, writerBlocking: WriterBlocking = .qemu) {
        chardevID = id
        outputDestination = "chardev \(id)"
        self.writerBlocking = writerBlocking
    }

    public func attachFrontend(owner: String) throws(ChardevAttachError) {
        if let frontendOwner { throw .alreadyInUse(chardev: chardevID, owner: frontendOwner) }
        frontendOwner = owner
    }

    public func setFrontendHandlers(_ handlers: ChardevFrontendHandlers) {
        frontendHandlers = handlers
    }

    public func detachFrontend(owner: String) {
        guard frontendOwner == owner else { return }
        frontendOwner = nil
        frontendHandlers = nil
    }

    public func setReadHandlers(installed: Bool) {
        if installed { incoming?.resumeReading() } else { incoming?.pauseReading() }
    }

    public func writeRecord(_ frame: Frame, vnetHeaderLength: UInt32, includeVnetField: Bool) -> ChardevWriteResult {
        let encoder = RecordEncoder(vnetHeaderSupport: includeVnetField)
        guard let record = try? encoder.record(payload: frame.bytes, vnetHeaderLength: vnetHeaderLength) else {
            return .failed(errno: 22)  // EINVAL: a frame longer than a 32-bit length
        }
        return writeBytes(record)
    }

    /// Writes already-framed bytes (colo-compare's sends and notify messages).
    public func writeBytes(_ record: [UInt8]) -> ChardevWriteResult {
        guard let outgoing, outgoing.isConnected else {
            counters.writesFailedDisconnected += 1
            return .failed(errno: 5)  // EIO, what QEMU's write-all reports on a closed socket
        }
        if writerBlocking == .qemu { return writeOrBlock(record, on: outgoing) }
        counters.recordsWritten += 1
        if !backlog.isEmpty {
            backlog.append(record)
            counters.recordsStalled += 1
            return .written
        }
        switch outgoing.write(record) {
        case .written:
            return .written
        case .wouldBlock:
            backlog.append(record)
            counters.recordsStalled += 1
            return .written
        case .disconnected:
            counters.writesFailedDisconnected += 1
            return .failed(errno: 5)
        }
    }

    public func whenBlockedWriteFinishes(_ handler: @escaping (ChardevWriteResult) -> Void) {
        guard let last = blockedWrites.last else { return handler(.written) }
        last.whenFinished(handler)
    }

    /// The writer gave up on its blocked writes (QEMU's colo-compare detaching outdev at its
    /// deletion): each fails, and is counted.
    public func abandonBlockedWrites() {
        while let write = blockedWrites.popFirst() {
            counters.writesFailedDisconnected += 1
            write.finish(.failed(errno: 5))
        }
    }

    /// A finished run: blocked writes are dropped unanswered. Their waiters hold suspended walks,
    /// which hold the net core, whose filters hold this chardev: a cycle only this breaks.
    public func discardBlockedWrites() {
        blockedWrites.removeAll()
    }

    /// `.qemu`: the record goes into the pipe, or the writer blocks until there is room for it.
    private func writeOrBlock(_ record: [UInt8], on outgoing: ChardevPipe) -> ChardevWriteResult {
        if blockedWrites.isEmpty {
            switch outgoing.write(record) {
            case .written:
                counters.recordsWritten += 1
                return .written
            case .disconnected:
                counters.writesFailedDisconnected += 1
                return .failed(errno: 5)
            case .wouldBlock:
                outgoing.waitForRoom(record.count)
            }
        }
        counters.writesBlocked += 1
        blockedWrites.append(BlockedChardevWrite(record: record))
        return .blocked
    }

    /// The pipe has room again (or went away): blocked writes go in, oldest first, and their
    /// writers hear it; a write that fails takes every later one with it.
    private func finishBlockedWrites() {
        guard let outgoing else { return }
        while let next = blockedWrites.first {
            switch outgoing.write(next.record) {
            case .written:
                blockedWrites.removeFirst()
                counters.recordsWritten += 1
                next.finish(.written)
            case .wouldBlock:
                outgoing.waitForRoom(next.record.count)
                return
            case .disconnected:
                blockedWrites.removeFirst()
                counters.writesFailedDisconnected += 1
                next.finish(.failed(errno: 5))
            }
        }
    }

    private func drainBacklog() {
        guard let outgoing else { return }
        while let next = backlog.first {
            switch outgoing.write(next) {
            case .written: backlog.removeFirst()
            case .wouldBlock: return
            case .disconnected:
                // The connection went away with records still queued: they are lost, and counted.
                counters.writesFailedDisconnected += backlog.count
                backlog.removeAll()
                return
            }
        }
    }
}
