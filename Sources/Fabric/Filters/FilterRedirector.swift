/// filter-redirector (R-1…R-9).
///
/// Outbound: with an `outdev`, every frame it sees is written there and taken out of the walk
/// . Inbound: each frame decoded from `indev` is injected into the chain next to the
/// redirector. As QEMU's does, it installs its own handlers on the indev chardev at setup:
/// records go to `indevDidReceive`, framing errors to `indevFramingError`, open and close
/// events to `indevChardevEvent` (R-7: 7.2 stops reading for good on the first close, upstream
/// stops on close and reads again on reopen); whether the chardev reads at all follows
/// `isReadingIndev` (pushed to the port through `setReadHandlers`).
public final class FilterRedirector: NetFilter {
    public struct Statistics: Sendable, Hashable {
        public var framesStolen = 0
        public var bytesStolen = 0
        /// the frame is gone anyway; -1 goes back to the sender.
        public var writeFailures = 0
        /// a zero-length frame yields 0 and continues.
        public var emptyFramesPassed = 0
        /// writes that had to wait for room in the socket.
        public var writesBlocked = 0
        public var indevFramesReceived = 0
        /// Walks started by injection (twice the frames with queue=all).
        public var injections = 0
        /// Frames handed in while not reading; discarded and counted.
        public var indevFramesRefused = 0
        public var framingErrors = 0
    }

    public let typeName = "filter-redirector"
    public let indevID: String?
    public let outdevID: String?
    /// V field on records written to `outdev` (read at each send, so a `qom-set` on a
    /// running redirector changes the next record) and expected on records read from `indev`
    /// (fixed at setup, see `indevExpectsVnetField`).
    public var vnetHeaderSupport: Bool
    public let version: QEMUNetVersion
    // Touched for every record; single-threaded and only changed in place, so their dynamic
    // exclusivity checks are off.
    @exclusivity(unchecked) public private(set) var statistics = Statistics()

    private var indev: (any ChardevPort)?
    private var outdev: (any ChardevPort)?
    private weak var context: FilterContext?
    @exclusivity(unchecked) private var handlers = RedirectorIndevHandlers()
    /// The main loop is wedged in a blocked write: the indev is not read meanwhile (its reads
    /// are main-loop work), whatever the handlers.
    private var mainLoopWedged = false

    public init(indev: String? = nil, outdev: String? = nil, vnetHeaderSupport: Bool = false, version: QEMUNetVersion = .upstream) {
        self.indevID = indev
        self.outdevID = outdev
        self.vnetHeaderSupport = vnetHeaderSupport
        self.indevExpectsVnetField = vnetHeaderSupport
        self.version = version
    }

    /// Whether the indev pipe should decode and deliver frames now.
    public var isReadingIndev: Bool { handlers.reading }

    /// Whether the indev pipe's decoder must expect the V field: QEMU sets its reader up
    /// once, with the value the property had then; a later change does not reach it.
    public let indevExpectsVnetField: Bool

    // MARK: Setup and teardown

    /// R-2, in QEMU's order.
    public func setup(context: FilterContext) throws(FilterSetupError) {
        try Self.checkChardevProperties(indev: indevID, outdev: outdevID)
        self.context = context
        if let indevID {
            let port = try attach(indevID, role: .redirectorIndev, context: context)
            indev = port
            // Unowned: the net core keeps the redirector until cleanup, which detaches the port
            // and with it these handlers.
            port.setFrontendHandlers(ChardevFrontendHandlers(
                read: { [unowned self] frame in self.indevDidReceive(frame) },
                framingError: { [unowned self] _ in self.indevFramingError() },
                event: { [unowned self] event in self.indevChardevEvent(event) }))
            context.mainLoop?.observeWedging { [weak self] wedged in self?.mainLoopWedgingChanged(wedged) }
            apply(.afterSetup(version: version, status: context.status), cause: .setup)
        }
        if let outdevID {
            outdev = try attach(outdevID, role: .redirectorOutdev, context: context)
        }
    }

    private func attach(_ id: String, role: ChardevRole, context: FilterContext) throws(FilterSetupError) -> any ChardevPort {
        guard let port = context.chardev(id: id) else { throw .chardevNotFound(id: id, role: role) }
        do {
            try port.attachFrontend(owner: context.id)
        } catch {
            throw .chardevAttachFailed(id: id, role: role, reason: error)
        }
        return port
    }

    public func cleanup(context: FilterContext) {
        if indev != nil { apply(RedirectorIndevHandlers(), cause: .cleanup) }
        indev?.detachFrontend(owner: context.id)
        outdev?.detachFrontend(owner: context.id)
        indev = nil
        outdev = nil
    }

    // MARK: Outbound

    public func receive(_ frame: Frame, direction: NetDirection, sender: NetClient, context: FilterContext) -> FilterVerdict {
        guard let outdev else { return .pass }
        return verdict(FilterRecordSender.send(frame, to: outdev, netdev: context.netdev, vnetHeaderSupport: vnetHeaderSupport), port: outdev)
    }

    /// the walk waited for the write; the frame is taken now, whatever the write's end.
    public func resumeAfterBlockedWrite(_ frame: Frame, context: FilterContext, resume: @escaping (FilterVerdict) -> Void) {
        guard let outdev else { return resume(.pass) }
        outdev.whenBlockedWriteFinishes { [unowned self] write in
            resume(verdict(FilterRecordSender.result(write, bytes: frame.count), port: outdev))
        }
    }

    private func verdict(_ result: FilterRecordSender.Result, port outdev: any ChardevPort) -> FilterVerdict {
        let output = FilterRecordSender.output(result, port: outdev)
        switch result {
        case .nothingToSend:
            statistics.emptyFramesPassed += 1
            return .pass
        case .sent(let bytes):
            statistics.framesStolen += 1
            statistics.bytesStolen += bytes
            return .steal(sendResult: bytes, output: output)
        case .failed:
            statistics.framesStolen += 1
            statistics.writeFailures += 1
            return .steal(sendResult: FilterRecordSender.failedWriteReturnValue, output: output)
        case .blocked:
            statistics.writesBlocked += 1
            return .blockedOnWrite(destination: outdev.outputDestination)
        }
    }

    // MARK: Status and events

    public func statusChanged(context: FilterContext) {
        guard indev != nil else { return }
        apply(handlers.afterStatusChange(to: context.status, version: version), cause: context.status == .on ? .statusOn : .statusOff)
    }

    // MARK: Inbound (R-5 … R-7, W-11)

    /// A complete record decoded from `indev`: injected as if sent by the netdev (queue tx or
    /// all, continuing after this filter) and/or as if sent by the NIC (queue rx or all,
    /// continuing before it, backwards). The record's V is ignored; the injected frame carries
    /// the netdev's current vnet header length. Returns one outcome per injection.
    @discardableResult
    public func indevDidReceive(_ frame: Frame) -> [SendOutcome] {
        guard let context, context.isAttached else { return [] }
        if mainLoopWedged, let mainLoop = context.mainLoop {
            // Decoded from a chunk read before the loop wedged: injected once it is free.
            mainLoop.run { [weak self] in self?.indevDidReceive(frame) }
            return []
        }
        guard handlers.reading else {
            statistics.indevFramesRefused += 1
            context.record(.indevFrameRefused(filter: context.id, bytes: frame.count))
            return []
        }
        statistics.indevFramesReceived += 1
        let netdev = context.netdev
        let injected = Frame(frame.bytes, vnetHeaderLength: netdev.vnetHeaderLength)
        var outcomes: [SendOutcome] = []
        if context.queue == .tx || context.queue == .all {
            if let outcome = context.passToNext(injected, nominalSender: netdev) { outcomes.append(outcome) }
        }
        if context.queue == .rx || context.queue == .all {
            if let outcome = context.passToNext(injected, nominalSender: netdev.peer) { outcomes.append(outcome) }
        }
        statistics.injections += outcomes.count
        return outcomes
    }

    /// W-11: the decoder hit a framing error; every indev handler is removed.
    public func indevFramingError() {
        statistics.framingErrors += 1
        guard indev != nil else { return }
        apply(handlers.afterFramingError(), cause: .framingError)
    }

    /// The indev chardev's connection opened or closed (QEMU's redirector_chr_event). Heard only
    /// while the event handler is installed: 7.2 removes it with everything else on the first
    /// close, so from then on the redirector is blind to its socket for good.
    private func indevChardevEvent(_ event: ChardevEvent) {
        switch event {
        case .closed: indevChardevClosed()
        case .opened: indevChardevOpened()
        }
    }

    /// the indev chardev disconnected.
    public func indevChardevClosed() {
        guard indev != nil else { return }
        apply(handlers.afterChardevClosed(version: version), cause: .chardevClosed)
    }

    /// the indev chardev (re)connected.
    public func indevChardevOpened() {
        guard indev != nil, let context else { return }
        apply(handlers.afterChardevOpened(version: version, status: context.status), cause: .chardevOpened)
    }

    private func mainLoopWedgingChanged(_ wedged: Bool) {
        mainLoopWedged = wedged
        guard handlers.reading else { return }
        indev?.setReadHandlers(installed: !wedged)
    }

    private func apply(_ newHandlers: RedirectorIndevHandlers, cause: IndevReadingCause) {
        let wasReading = handlers.reading
        handlers = newHandlers
        guard newHandlers.reading != wasReading || cause == .setup else { return }
        indev?.setReadHandlers(installed: newHandlers.reading && !mainLoopWedged)
        if let context {
            context.record(.indevReading(filter: context.id, attached: newHandlers.reading, cause: cause))
        }
    }
}
