/// Receives every `NetEvent` the net core and its filters produce, in order.
public protocol NetEventSink: AnyObject {
    func record(_ event: NetEvent)
}

/// Keeps every event in memory.
public final class NetEventLog: NetEventSink {
    public private(set) var events: [NetEvent] = []

    public init() {}

    public func record(_ event: NetEvent) {
        events.append(event)
    }

    public func events(of walk: WalkID) -> [NetEvent] {
        events.filter { $0.walk == walk }
    }

    public func removeAll() { events.removeAll() }
}
