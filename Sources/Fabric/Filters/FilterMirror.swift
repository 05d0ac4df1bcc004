/// filter-mirror (M-1…M-5): writes a copy of every frame it sees to `outdev` and lets the frame
/// continue unchanged. It never steals and never reads from `outdev`.
public final class FilterMirror: NetFilter {
    public struct Statistics: Sendable, Hashable {
        public var framesCopied = 0
        public var bytesCopied = 0
        /// M-4: failed writes are counted (and reported as events); the frame still continues.
        public var writeFailures = 0
        /// W-3: a zero-length frame produces no record.
        public var emptyFramesNotCopied = 0
        /// M-4: writes that had to wait for room in the socket.
        public var writesBlocked = 0
    }

    public let typeName = "filter-mirror"
    public let outdevID: String?
    /// M-1: whether each record carries the V field (W-1). Read at each send, as QEMU does, so
    /// a `qom-set` on a running mirror changes the framing of the next record.
    public var vnetHeaderSupport: Bool
    public private(set) var statistics = Statistics()

    private var outdev: (any ChardevPort)?

    public init(outdev: String?, vnetHeaderSupport: Bool = false) {
        self.outdevID = outdev
        self.vnetHeaderSupport = vnetHeaderSupport
    }

    /// M-2, in QEMU's order.
    public func setup(context: FilterContext) throws(FilterSetupError) {
        guard let outdevID else { throw .mirrorOutdevMissing }
        guard let port = context.chardev(id: outdevID) else {
            throw .chardevNotFound(id: outdevID, role: .mirrorOutdev)
        }
        do {
            try port.attachFrontend(owner: context.id)
        } catch {
            throw .chardevAttachFailed(id: outdevID, role: .mirrorOutdev, reason: error)
        }
        outdev = port
    }

    /// M-3: copy the frame as it is at this point of the walk, always return 0.
    public func receive(_ frame: Frame, direction: NetDirection, sender: NetClient, context: FilterContext) -> FilterVerdict {
        guard let outdev else { return .pass }
        return verdict(FilterRecordSender.send(frame, to: outdev, netdev: context.netdev, vnetHeaderSupport: vnetHeaderSupport), port: outdev)
    }

    /// M-4: the walk waited for the write; the copy is made (or failed) now.
    public func resumeAfterBlockedWrite(_ frame: Frame, context: FilterContext, resume: @escaping (FilterVerdict) -> Void) {
        guard let outdev else { return resume(.pass) }
        outdev.whenBlockedWriteFinishes { [unowned self] write in
            resume(verdict(FilterRecordSender.result(write, bytes: frame.count), port: outdev))
        }
    }

    private func verdict(_ result: FilterRecordSender.Result, port: any ChardevPort) -> FilterVerdict {
        switch result {
        case .nothingToSend:
            statistics.emptyFramesNotCopied += 1
            return .pass
        case .sent(let bytes):
            statistics.framesCopied += 1
            statistics.bytesCopied += bytes
        case .failed:
            statistics.writeFailures += 1
        case .blocked:
            statistics.writesBlocked += 1
            return .blockedOnWrite(destination: port.outputDestination)
        }
        return .passAfterCopy(FilterRecordSender.output(result, port: port))
    }

    public func cleanup(context: FilterContext) {
        outdev?.detachFrontend(owner: context.id)
        outdev = nil
    }
}
