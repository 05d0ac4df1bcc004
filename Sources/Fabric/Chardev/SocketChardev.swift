import Collections

/// A `-chardev socket` as one QEMU process sees it: the frontend (a filter or colo-compare)
/// writes framed records into `outgoing` and reads decoded frames from `incoming`.
///
/// QEMU's writers block until a whole record is written (M-4, W-3). The simulation has no
/// thread to block, so a record refused with `wouldBlock` waits here, in order, and is
/// written when the pipe drains; the frontend is told the write succeeded, as QEMU's
/// write-all eventually reports. Stalls are counted so a report can show them.
public final class SocketChardev: ChardevPort {
    public struct Counters: Sendable, Hashable {
        public var recordsWritten = 0
        public var recordsStalled = 0
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
    /// Records accepted from the frontend but not yet in the pipe (writer stalled).
    @exclusivity(unchecked) public private(set) var backlog: Deque<[UInt8]> = []

    public var outgoing: ChardevPipe? {
        didSet { outgoing?.onWritable = { [unowned self] in self.drainBacklog() } }
    }

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

    public init(id: String) {
        chardevID = id
        outputDestination = "chardev \(id)"
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
