import Fabric

/// One host's TCP/IP stack as a sans-I/O state machine.
///
/// Frames go in through ``receive(_:at:choices:)``, timers run in ``advance(to:choices:)``,
/// frames come out of ``takeOutput()``, and ``nextDeadline`` says when ``advance`` is next
/// needed. The stack never reads a clock and never schedules itself. Every nondeterministic
/// decision (ISN, random IP ID, timestamp offset, ephemeral port) is drawn from the chooser
/// passed to the call, at a choice point labelled with the stack's name.
///
/// Socket calls (``connect(to:port:localPort:choices:)``, ``send(_:on:choices:)``, ``read(from:maxBytes:choices:)``, ...)
/// act at the stack's current time: the last instant given to `receive` or `advance`.
///
/// The whole stack is a value: assigning it to another variable copies every socket, buffer,
/// timer, the ARP cache and the ID counters, and the copy behaves exactly as the original
/// would under the same inputs and choices.
public struct NetworkStack: Sendable {
    var interface: InterfaceLayer
    var tcp = TCPLayer()
    var udp = UDPLayer()
    var icmp = ICMPInbox()
    var nextHandle = 1
    var nextEphemeralPort: UInt16

    public init(configuration: StackConfiguration) {
        interface = InterfaceLayer(configuration: configuration)
        if case .sequential(let first) = configuration.ephemeralPorts {
            nextEphemeralPort = first
        } else {
            nextEphemeralPort = 49_152
        }
    }

    public var configuration: StackConfiguration { interface.configuration }
    public var name: String { interface.configuration.name }
    public var counters: StackCounters { interface.counters }
    /// The stack's current time: the last instant it was given.
    public var now: VirtualTime { interface.now }

    /// The earliest instant at which ``advance(to:choices:)`` has work to do.
    public var nextDeadline: VirtualTime? {
        earliest(interface.arp.nextDeadline, tcp.nextDeadline)
    }

    /// ``nextDeadline``, remembering what it had to compute so the next call is cheaper.
    mutating func settleNextDeadline() -> VirtualTime? {
        earliest(interface.arp.nextDeadline, tcp.settleNextDeadline())
    }

    /// Whether frames are waiting in the outbox.
    public var hasOutput: Bool { !interface.outbox.isEmpty }

    /// Removes and returns the frames sent since the last call, in sending order.
    public mutating func takeOutput() -> [Frame] {
        defer { interface.outbox.removeAll(keepingCapacity: true) }
        return interface.outbox
    }

    /// Moves the frames sent since the last call to the end of `frames`, without allocating
    /// when `frames` has room (the hot-path form of ``takeOutput()``).
    public mutating func takeOutput(into frames: inout [Frame]) {
        frames.append(contentsOf: interface.outbox)
        interface.outbox.removeAll(keepingCapacity: true)
    }

    /// Whether anything an application may care about happened since the last call; clears it.
    public mutating func takeApplicationEvents() -> Bool {
        defer {
            interface.applicationEvents = false
            interface.eventSockets.removeAll(keepingCapacity: true)
        }
        return interface.applicationEvents
    }

    /// Like ``takeApplicationEvents()``, also returning the TCP sockets the events concern.
    mutating func takeApplicationEventSockets() -> (any: Bool, sockets: [SocketHandle]) {
        defer {
            interface.applicationEvents = false
            interface.eventSockets.removeAll(keepingCapacity: true)
        }
        return (interface.applicationEvents, interface.eventSockets)
    }

    /// Runs every timer due at or before `time` (ARP retries, retransmission, persist,
    /// delayed ACK, TIME-WAIT). Time never goes backwards: an earlier `time` is ignored.
    public mutating func advance(to time: VirtualTime, choices: any Chooser) {
        setClock(time)
        interface.runARPTimers()
        var index = 0
        while index < tcp.count {
            if tcp.isDue(index, at: interface.now) {
                tcp[index].runTimers(&interface, choices)
                if reapIfFinished(index) { continue }
            }
            index += 1
        }
    }

    mutating func setClock(_ time: VirtualTime) {
        if time > interface.now { interface.now = time }
    }

    mutating func newHandle() -> SocketHandle {
        defer { nextHandle += 1 }
        return SocketHandle(rawValue: nextHandle)
    }
}
