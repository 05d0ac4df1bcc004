/// A filter's place in a netdev's filter list, with the properties every filter has. The chain
/// hands it to each hook; the filter uses it to read its netdev, to look up chardevs and the
/// virtual clock, and to re-inject frames (F-7).
public final class FilterContext {
    public let id: String
    public let filter: any NetFilter
    public let netdev: NetClient
    public let queue: FilterQueue
    public private(set) var status: FilterStatus
    /// True from insertion until deletion.
    public internal(set) var isAttached = false

    weak var core: NetCore?

    init(id: String, filter: any NetFilter, netdev: NetClient, queue: FilterQueue, status: FilterStatus, core: NetCore) {
        self.id = id
        self.filter = filter
        self.netdev = netdev
        self.queue = queue
        self.status = status
        self.core = core
    }

    public var typeName: String { filter.typeName }

    /// The process's main loop, which the filter's blocked writes wedge (nil once the core is
    /// gone).
    public var mainLoop: MainLoop? { core?.mainLoop }

    /// The virtual clock reading of the net core (0 once the core is gone).
    public var virtualNanoseconds: UInt64 { core?.virtualNanoseconds ?? 0 }

    public func chardev(id: String) -> (any ChardevPort)? {
        core?.chardevs.chardev(id: id)
    }

    /// F-8: setting the current value does nothing; otherwise the flag flips and, once the
    /// filter is attached, its status hook runs.
    public func setStatus(_ newStatus: FilterStatus) {
        guard newStatus != status else { return }
        status = newStatus
        core?.emit(.filterStatusChanged(filter: id, status: newStatus))
        if isAttached {
            filter.statusChanged(context: self)
        }
    }

    /// F-7: continue `frame` from this filter's position as if `nominalSender` had sent it.
    @discardableResult
    public func passToNext(_ frame: Frame, nominalSender: NetClient?) -> SendOutcome? {
        core?.passToNext(from: self, frame: frame, nominalSender: nominalSender)
    }

    /// Lets a filter add its own observations to the event stream.
    public func record(_ event: NetHop) {
        core?.emit(event)
    }
}
