import Fabric

/// The DNS-like UDP exchange: a query is `[id:2][response size:2][padding]`, the answer
/// `[id:2][response size:2]` followed by that many ``PayloadPattern`` bytes.
public enum DatagramMessages {
    public static func query(identifier: UInt16, responseSize: Int, size: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendBE16(identifier)
        bytes.appendBE16(UInt16(clamping: responseSize))
        if size > 4 { bytes += PayloadPattern.bytes(at: 0, count: size - 4) }
        return bytes
    }

    public static func answer(identifier: UInt16, responseSize: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendBE16(identifier)
        bytes.appendBE16(UInt16(clamping: responseSize))
        return bytes + PayloadPattern.bytes(at: 0, count: responseSize)
    }
}

/// A DNS-like UDP responder: answers each query after the host's processing delay, with a
/// token over the first answer bytes at the host's token rate. Malformed queries are counted.
public struct DatagramServer: StackApplication {
    public let port: UInt16
    public private(set) var socket: SocketHandle?
    var delayed: [(readyAt: VirtualTime, to: IPv4Address, port: UInt16, answer: [UInt8])] = []
    public private(set) var queriesAnswered = 0
    public private(set) var malformedQueries = 0
    /// Every answer sent, in order (for invariants over what the guest produced).
    public private(set) var sent: StreamRecord

    public init(port: UInt16 = 53, recording: RecordingMode = .hash) {
        self.port = port
        sent = StreamRecord(mode: recording)
    }

    public mutating func start(on stack: inout NetworkStack, _ context: HostContext) {
        socket = try? stack.bindUDP(port: port, choices: context.chooser)
    }

    public mutating func run(on stack: inout NetworkStack, _ context: HostContext) {
        guard let socket else { return }
        let now = stack.now
        while let datagram = stack.receiveUDP(on: socket) {
            guard datagram.payload.count >= 4 else {
                malformedQueries += 1
                continue
            }
            let identifier = datagram.payload.be16(at: 0)
            let size = Int(datagram.payload.be16(at: 2))
            var answer = DatagramMessages.answer(identifier: identifier, responseSize: size)
            context.applyToken(to: &answer, in: 4..<min(answer.count, 20), now: now)
            let due = now + context.processingDelay()
            let readyAt = delayed.last.map { max($0.readyAt, due) } ?? due
            delayed.append((readyAt, datagram.source, datagram.sourcePort, answer))
        }
        while let first = delayed.first, first.readyAt <= now {
            delayed.removeFirst()
            try? stack.sendUDP(first.answer, from: socket, to: first.to, port: first.port, choices: context.chooser)
            sent.append(first.answer)
            queriesAnswered += 1
        }
    }

    public var nextDeadline: VirtualTime? { delayed.first?.readyAt }
    public var isFinished: Bool { true }
}

/// Answers ICMP echo requests in place of the stack (``EchoReplyMode/application``), so that
/// replies can be delayed or carry a token. The stack must be configured for it.
public struct PingResponder: StackApplication {
    var delayed: [(readyAt: VirtualTime, request: EchoMessage, payload: [UInt8])] = []
    public private(set) var repliesSent = 0

    public init() {}

    public mutating func start(on stack: inout NetworkStack, _ context: HostContext) {}

    public mutating func run(on stack: inout NetworkStack, _ context: HostContext) {
        let now = stack.now
        for request in stack.takeEchoRequests() {
            var payload = request.payload
            context.applyToken(to: &payload, in: 0..<min(16, payload.count), now: now)
            let due = now + context.processingDelay()
            let readyAt = delayed.last.map { max($0.readyAt, due) } ?? due
            delayed.append((readyAt, request, payload))
        }
        while let first = delayed.first, first.readyAt <= now {
            delayed.removeFirst()
            stack.sendEchoReply(to: first.request, payload: first.payload, choices: context.chooser)
            repliesSent += 1
        }
    }

    public var nextDeadline: VirtualTime? { delayed.first?.readyAt }
    public var isFinished: Bool { true }
}
