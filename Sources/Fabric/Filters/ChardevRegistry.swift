import Collections

/// A plain chardev directory: ports registered by id, looked up by id.
public final class ChardevRegistry: ChardevDirectory {
    private var ports: OrderedDictionary<String, any ChardevPort> = [:]

    public init(_ ports: [any ChardevPort] = []) {
        for port in ports { add(port) }
    }

    public func add(_ port: any ChardevPort) {
        ports[port.chardevID] = port
    }

    public func chardev(id: String) -> (any ChardevPort)? {
        ports[id]
    }

    /// Registered ids, in registration order.
    public var ids: [String] { Array(ports.keys) }
}
