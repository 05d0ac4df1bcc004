/// Receives every `NetHop` the net core and its filters produce, in order.
public protocol NetHopSink: AnyObject {
    func record(_ event: NetHop)
}

/// Keeps every event in memory.
public final class NetHopLog: NetHopSink {
    public private(set) var events: [NetHop] = []

    public init() {}

    public func record(_ event: NetHop) {
        events.append(event)
    }

    public func events(of walk: WalkID) -> [NetHop] {
        events.filter { $0.walk == walk }
    }

    public func removeAll() { events.removeAll() }
}
