import Fabric

/// Sends ICMP echo requests at a fixed interval and records the replies.
public struct PingClient: StackApplication {
    public struct Probe: Sendable, Hashable {
        public let sequence: UInt16
        public internal(set) var sentAt: VirtualTime?
        public internal(set) var repliedAt: VirtualTime?
        /// The reply's payload, byte for byte.
        public internal(set) var replyPayload: [UInt8]?
        public internal(set) var duplicateReplies = 0
    }

    public let target: IPv4Address
    public let count: Int
    public let interval: VirtualDuration
    public let payloadSize: Int
    /// How long to wait for replies after the last request.
    public let timeout: VirtualDuration
    public let identifier: UInt16
    public private(set) var probes: [Probe] = []
    var startedAt: VirtualTime = .zero

    public init(target: IPv4Address, count: Int = 4, interval: VirtualDuration = .seconds(1), payloadSize: Int = 56,
                timeout: VirtualDuration = .seconds(2), identifier: UInt16 = 0x4c53) {
        self.target = target
        self.count = count
        self.interval = interval
        self.payloadSize = payloadSize
        self.timeout = timeout
        self.identifier = identifier
    }

    /// The payload of request `sequence`.
    public func payload(for sequence: UInt16) -> [UInt8] {
        PayloadPattern.bytes(at: Int(sequence) * 7, count: payloadSize)
    }

    public mutating func start(on stack: inout NetworkStack, _ context: HostContext) {
        startedAt = stack.now
        probes = (0..<count).map { Probe(sequence: UInt16(truncatingIfNeeded: $0)) }
    }

    public mutating func run(on stack: inout NetworkStack, _ context: HostContext) {
        let now = stack.now
        for reply in stack.takeEchoReplies() where reply.identifier == identifier && reply.peer == target {
            guard let index = probes.firstIndex(where: { $0.sequence == reply.sequence && $0.sentAt != nil }) else { continue }
            if probes[index].repliedAt == nil {
                probes[index].repliedAt = now
                probes[index].replyPayload = reply.payload
            } else {
                probes[index].duplicateReplies += 1
            }
        }
        for index in probes.indices where probes[index].sentAt == nil && dueTime(index) <= now {
            let sequence = probes[index].sequence
            stack.sendEchoRequest(to: target, identifier: identifier, sequence: sequence, payload: payload(for: sequence),
                                  choices: context.chooser)
            probes[index].sentAt = now
        }
        lastRun = now
    }

    var lastRun: VirtualTime = .zero

    private func dueTime(_ index: Int) -> VirtualTime {
        startedAt + .nanoseconds(interval.nanoseconds * Int64(index))
    }

    public var nextDeadline: VirtualTime? {
        if let next = probes.firstIndex(where: { $0.sentAt == nil }) { return dueTime(next) }
        guard !isFinished, let last = probes.last?.sentAt else { return nil }
        return last + timeout
    }

    public var isFinished: Bool {
        guard probes.allSatisfy({ $0.sentAt != nil }) else { return false }
        if probes.allSatisfy({ $0.repliedAt != nil }) { return true }
        guard let last = probes.last?.sentAt else { return true }
        return lastRun >= last + timeout
    }
}

/// Sends DNS-like queries (``DatagramMessages``) at a fixed interval, retrying unanswered ones.
public struct DatagramQueryClient: StackApplication {
    public struct Query: Sendable, Hashable {
        public let identifier: UInt16
        public internal(set) var attempts = 0
        public internal(set) var lastSentAt: VirtualTime?
        public internal(set) var answeredAt: VirtualTime?
        /// The answer, byte for byte.
        public internal(set) var answer: [UInt8]?
        public internal(set) var extraAnswers = 0
    }

    public let server: IPv4Address
    public let port: UInt16
    public let count: Int
    public let interval: VirtualDuration
    public let querySize: Int
    public let responseSize: Int
    public let timeout: VirtualDuration
    public let maximumAttempts: Int
    public private(set) var queries: [Query] = []
    public private(set) var socket: SocketHandle?
    var startedAt: VirtualTime = .zero
    var lastRun: VirtualTime = .zero

    public init(server: IPv4Address, port: UInt16 = 53, count: Int = 4, interval: VirtualDuration = .milliseconds(100),
                querySize: Int = 32, responseSize: Int = 128, timeout: VirtualDuration = .seconds(1), maximumAttempts: Int = 3) {
        self.server = server
        self.port = port
        self.count = count
        self.interval = interval
        self.querySize = querySize
        self.responseSize = responseSize
        self.timeout = timeout
        self.maximumAttempts = maximumAttempts
    }

    public mutating func start(on stack: inout NetworkStack, _ context: HostContext) {
        startedAt = stack.now
        socket = try? stack.bindUDP(choices: context.chooser)
        queries = (0..<count).map { Query(identifier: UInt16(truncatingIfNeeded: $0 + 1)) }
    }

    public mutating func run(on stack: inout NetworkStack, _ context: HostContext) {
        guard let socket else { return }
        let now = stack.now
        lastRun = now
        while let datagram = stack.receiveUDP(on: socket) {
            guard datagram.payload.count >= 4,
                  let index = queries.firstIndex(where: { $0.identifier == datagram.payload.be16(at: 0) }) else { continue }
            if queries[index].answeredAt == nil {
                queries[index].answeredAt = now
                queries[index].answer = datagram.payload
            } else {
                queries[index].extraAnswers += 1
            }
        }
        for index in queries.indices where queries[index].answeredAt == nil {
            guard let due = sendTime(index), due <= now else { continue }
            let query = DatagramMessages.query(identifier: queries[index].identifier, responseSize: responseSize, size: querySize)
            try? stack.sendUDP(query, from: socket, to: server, port: port, choices: context.chooser)
            queries[index].attempts += 1
            queries[index].lastSentAt = now
        }
    }

    /// When query `index` should next be sent; nil if it never should again.
    private func sendTime(_ index: Int) -> VirtualTime? {
        let query = queries[index]
        guard query.answeredAt == nil else { return nil }
        guard let last = query.lastSentAt else { return startedAt + .nanoseconds(interval.nanoseconds * Int64(index)) }
        return query.attempts < maximumAttempts ? last + timeout : nil
    }

    public var nextDeadline: VirtualTime? {
        var deadline: VirtualTime?
        for index in queries.indices {
            deadline = earliest(deadline, sendTime(index))
            if queries[index].answeredAt == nil, queries[index].attempts >= maximumAttempts, let last = queries[index].lastSentAt {
                if lastRun < last + timeout { deadline = earliest(deadline, last + timeout) }
            }
        }
        return deadline
    }

    public var isFinished: Bool {
        queries.allSatisfy { query in
            query.answeredAt != nil
                || (query.attempts >= maximumAttempts && query.lastSentAt.map { lastRun >= $0 + timeout } ?? false)
        }
    }
}
