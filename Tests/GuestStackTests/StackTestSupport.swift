@testable import Fabric
@testable import GuestStack

/// Two bare stacks joined by a wire with a fixed latency, driven by hand so tests can drop,
/// inspect or time individual frames.
struct StackPair {
    var a: NetworkStack
    var b: NetworkStack
    var latency: VirtualDuration
    let chooser: any Chooser
    var now = VirtualTime.zero
    /// In-flight frames: (arrival, toward b, frame), kept in send order.
    var inFlight: [(at: VirtualTime, towardB: Bool, frame: Frame)] = []
    /// Every frame sent, with its time and direction.
    var log: [(at: VirtualTime, towardB: Bool, frame: Frame)] = []
    /// Return false to drop a frame as it is sent.
    var keep: (VirtualTime, Bool, Frame) -> Bool = { _, _, _ in true }

    static let addressA = IPv4Address(10, 0, 0, 1)
    static let addressB = IPv4Address(10, 0, 0, 2)
    static let macA = MACAddress([0x52, 0x54, 0, 0, 0, 0x0a])
    static let macB = MACAddress([0x52, 0x54, 0, 0, 0, 0x0b])

    static func configurations() -> (StackConfiguration, StackConfiguration) {
        (StackConfiguration(name: "a", mac: macA, address: addressA), StackConfiguration(name: "b", mac: macB, address: addressB))
    }

    init(latency: VirtualDuration = .milliseconds(10), chooser: any Chooser = SeededChooser(seed: 7),
         configure: (inout StackConfiguration, inout StackConfiguration) -> Void = { _, _ in }) {
        var (ca, cb) = StackPair.configurations()
        configure(&ca, &cb)
        a = NetworkStack(configuration: ca)
        b = NetworkStack(configuration: cb)
        self.latency = latency
        self.chooser = chooser
    }

    mutating func collect() {
        for frame in a.takeOutput() { send(frame, towardB: true) }
        for frame in b.takeOutput() { send(frame, towardB: false) }
    }

    private mutating func send(_ frame: Frame, towardB: Bool) {
        log.append((now, towardB, frame))
        if keep(now, towardB, frame) { inFlight.append((now + latency, towardB, frame)) }
    }

    /// Runs deliveries and timers until `limit` or until nothing is pending.
    mutating func run(until limit: VirtualTime) {
        collect()
        while true {
            let delivery = inFlight.map(\.at).min()
            let next = [delivery, a.nextDeadline, b.nextDeadline].compactMap { $0 }.min()
            guard let next, next <= limit else { break }
            now = max(now, next)
            if let index = inFlight.firstIndex(where: { $0.at <= now }) {
                let item = inFlight.remove(at: index)
                if item.towardB { b.receive(item.frame, at: now, choices: chooser) } else { a.receive(item.frame, at: now, choices: chooser) }
            } else {
                a.advance(to: now, choices: chooser)
                b.advance(to: now, choices: chooser)
            }
            collect()
        }
        if limit > now { now = limit }
    }

    /// Opens a connection from a to b's listener and runs until established.
    mutating func connect(port: UInt16 = 80) throws -> (client: SocketHandle, server: SocketHandle) {
        let listener = try b.listen(port: port)
        let client = try a.connect(to: StackPair.addressB, port: port, choices: chooser)
        run(until: now + .seconds(5))
        guard let server = b.accept(listener) else { throw TestFailure("no connection accepted") }
        return (client, server)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A parsed TCP frame from a log, for assertions on segmentation and timing.
struct SegmentView {
    let tcp: TCPHeader
    let payloadLength: Int

    init?(_ frame: Frame) {
        let bytes = frame.bytes
        let l3 = Int(frame.vnetHeaderLength) + 14
        guard bytes.count >= l3 + 20, bytes.be16(at: l3 - 2) == EtherType.ipv4, let ip = IPv4Header(bytes, at: l3),
              ip.protocolNumber == IPProtocolNumber.tcp, let tcp = TCPHeader(bytes, at: l3 + ip.headerLength) else { return nil }
        self.tcp = tcp
        payloadLength = Int(ip.totalLength) - ip.headerLength - tcp.headerLength
    }
}

extension DirectRunOptions {
    /// Options with an impaired link for loss tests.
    static func impaired(seed: UInt64, loss: UInt64, duplication: UInt64, reordering: UInt64) -> DirectRunOptions {
        var options = DirectRunOptions()
        options.seed = seed
        options.link.loss = .perMillion(loss)
        options.link.duplication = .perMillion(duplication)
        options.link.reordering = .perMillion(reordering)
        options.link.jitter = .microseconds(200)
        options.workload.recording = .bytes
        return options
    }
}

/// Two hosts (stack + applications) on a wire with fixed latency; a plain value, so a whole
/// simulation in progress can be copied. Frames are dropped by a deterministic rule on their
/// sending index.
struct HostPair {
    var a: StackHost
    var b: StackHost
    var latency: VirtualDuration = .milliseconds(5)
    var chooser: any Chooser
    var now = VirtualTime.zero
    var inFlight: [(at: VirtualTime, towardB: Bool, frame: Frame)] = []
    var log: [(at: VirtualTime, towardB: Bool, frame: Frame)] = []
    var sentCount = 0
    /// Drop the n-th frame sent when `n % dropEvery == dropPhase` (0 disables).
    var dropEvery = 0
    var dropPhase = 0

    init(a: StackHost, b: StackHost, chooser: any Chooser) {
        self.a = a
        self.b = b
        self.chooser = chooser
    }

    mutating func collect() {
        for frame in b.takeOutput() { send(frame, towardB: false) }
        for frame in a.takeOutput() { send(frame, towardB: true) }
    }

    private mutating func send(_ frame: Frame, towardB: Bool) {
        log.append((now, towardB, frame))
        sentCount += 1
        if dropEvery > 0 && sentCount % dropEvery == dropPhase { return }
        inFlight.append((now + latency, towardB, frame))
    }

    mutating func start() {
        b.start(at: now, choices: chooser)
        a.start(at: now, choices: chooser)
        collect()
    }

    mutating func run(until limit: VirtualTime) {
        collect()
        while true {
            let delivery = inFlight.map(\.at).min()
            let next = [delivery, a.nextDeadline, b.nextDeadline].compactMap { $0 }.min()
            guard let next, next <= limit else { break }
            now = max(now, next)
            if let index = inFlight.firstIndex(where: { $0.at <= now }) {
                let item = inFlight.remove(at: index)
                if item.towardB { b.receive(item.frame, at: now, choices: chooser) } else { a.receive(item.frame, at: now, choices: chooser) }
            } else if let deadline = a.nextDeadline, deadline <= now {
                a.advance(to: now, choices: chooser)
            } else {
                b.advance(to: now, choices: chooser)
            }
            collect()
        }
        if limit > now { now = limit }
    }
}

enum Hosts {
    static func guest(_ applications: [any StackApplication], knobs: DivergenceKnobs = DivergenceKnobs(),
                      name: String = "guest", configure: (inout StackConfiguration) -> Void = { _ in }) -> StackHost {
        var configuration = StackConfiguration(name: name, mac: HostNetwork.guestMAC, address: HostNetwork.guestAddress)
        configure(&configuration)
        return StackHost(stack: NetworkStack(configuration: configuration), applications: applications, knobs: knobs)
    }

    static func client(_ applications: [any StackApplication], configure: (inout StackConfiguration) -> Void = { _ in }) -> StackHost {
        var configuration = StackConfiguration(name: "client", mac: HostNetwork.clientMAC, address: HostNetwork.clientAddress)
        configure(&configuration)
        return StackHost(stack: NetworkStack(configuration: configuration), applications: applications)
    }
}
