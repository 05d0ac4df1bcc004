import Fabric

/// An HTTP-like server (``HTTPLikeMessages``): reads a request line and headers, consumes the
/// request body, waits the host's processing delay, then answers with a body of the requested
/// size (or `defaultResponseSize`). Keep-alive: any number of requests per connection.
public struct RequestResponseServer: StackApplication {
    enum Phase: Sendable, Hashable {
        case header
        case body(remaining: Int, responseSize: Int)
        case waiting(readyAt: VirtualTime, responseSize: Int)
        case rejecting
    }

    public struct Connection: Sendable, Hashable {
        public let handle: SocketHandle
        public internal(set) var received: StreamRecord
        var output: OutgoingStream
        var inbound: [UInt8] = []
        var phase = Phase.header
        public internal(set) var requestsServed = 0
        public internal(set) var closed = false
        public internal(set) var error: TCPConnectionError?
        public var sent: StreamRecord { output.sent }

        init(handle: SocketHandle, recording: RecordingMode) {
            self.handle = handle
            received = StreamRecord(mode: recording)
            output = OutgoingStream(recording: recording)
        }
    }

    /// What ``run(on:_:)`` needs to decide whether a connection needs service, kept beside
    /// `connections` in a small array: reading every (large) connection on every run cost more
    /// than serving the few that need it.
    struct ServiceHint: Sendable {
        var handle: SocketHandle
        var phase: Phase
        var closed: Bool
        var hasOutput: Bool

        init(_ connection: Connection) {
            handle = connection.handle
            phase = connection.phase
            closed = connection.closed
            hasOutput = !connection.output.isEmpty
        }

        /// Needs service on every run, whatever the events.
        var needsAlways: Bool {
            !closed && (hasOutput || phase == .rejecting)
        }

        /// When its answer is due.
        var timer: VirtualTime? {
            if !closed, case .waiting(let readyAt, _) = phase { return readyAt }
            return nil
        }
    }

    public let port: UInt16
    public let defaultResponseSize: Int
    public let recording: RecordingMode
    public private(set) var listener: SocketHandle?
    public private(set) var connections: [Connection] = []
    /// `ServiceHint(connections[i])`, refreshed whenever a connection is served (the only change).
    private var hints: [ServiceHint] = []
    private var attention = AttentionList()

    public init(port: UInt16 = 80, defaultResponseSize: Int = 1_024, recording: RecordingMode = .hash) {
        self.port = port
        self.defaultResponseSize = defaultResponseSize
        self.recording = recording
    }

    public mutating func start(on stack: inout NetworkStack, _ context: HostContext) {
        listener = try? stack.listen(port: port)
    }

    public mutating func run(on stack: inout NetworkStack, _ context: HostContext) {
        guard let listener else { return }
        let firstNew = connections.count
        while let handle = stack.accept(listener) {
            attention.register(handle, index: connections.count)
            connections.append(Connection(handle: handle, recording: recording))
            hints.append(ServiceHint(connections[connections.count - 1]))
        }
        // Serving calls methods on `self`; with `connections` moved out first, that does not
        // copy the whole array on every call (it did: quadratic in connections).
        var serving = connections
        connections = []
        let now = stack.now
        let candidates = context.socketsWithEvents.map { attention.candidates(events: $0, now: now, adding: firstNew..<serving.count) }
            ?? Array(serving.indices)
        for index in candidates where !hints[index].closed
            && (index >= firstNew || Self.needsService(hints[index], events: context.socketsWithEvents, now: now)) {
            serve(&serving[index], on: &stack, context)
            hints[index] = ServiceHint(serving[index])
            attention.set(index, always: hints[index].needsAlways, timer: hints[index].timer)
        }
        connections = serving
    }

    /// Whether a connection can make progress now: its socket had an event, its answer is due,
    /// or it still has output. The others are left alone, so a run costs events, not
    /// events × connections.
    private static func needsService(_ connection: ServiceHint, events: [SocketHandle]?, now: VirtualTime) -> Bool {
        guard let events else { return true }
        if case .waiting(let readyAt, _) = connection.phase, readyAt <= now { return true }
        if connection.hasOutput || connection.phase == .rejecting { return true }
        return events.contains(connection.handle)
    }

    private func serve(_ connection: inout Connection, on stack: inout NetworkStack, _ context: HostContext) {
        let handle = connection.handle
        let now = stack.now
        guard stack.status(of: handle) != nil else {
            connection.closed = true
            return
        }
        var progressing = true
        while progressing {
            switch connection.phase {
            case .header:
                if HTTPLikeMessages.headerLength(in: connection.inbound) == nil {
                    let data = stack.read(from: handle, choices: context.chooser)
                    connection.received.append(data)
                    connection.inbound += data
                }
                if let length = HTTPLikeMessages.headerLength(in: connection.inbound) {
                    if let request = HTTPLikeMessages.parseRequest(connection.inbound[0..<length]) {
                        connection.inbound.removeFirst(length)
                        connection.phase = .body(remaining: request.bodySize, responseSize: request.responseSize ?? defaultResponseSize)
                    } else {
                        reject(&connection)
                    }
                } else if connection.inbound.count > HTTPLikeMessages.maximumHeaderLength {
                    reject(&connection)
                } else {
                    progressing = false
                }
            case .body(var remaining, let responseSize):
                let fromStaging = min(remaining, connection.inbound.count)
                connection.inbound.removeFirst(fromStaging)
                remaining -= fromStaging
                if remaining > 0 {
                    remaining -= stack.consume(from: handle, maxBytes: remaining, choices: context.chooser) { raw in
                        connection.received.append(raw)
                    }
                }
                if remaining == 0 {
                    connection.phase = .waiting(readyAt: now + context.processingDelay(), responseSize: responseSize)
                } else {
                    connection.phase = .body(remaining: remaining, responseSize: responseSize)
                    progressing = false
                }
            case .waiting(let readyAt, let size):
                guard readyAt <= now else {
                    progressing = false
                    break
                }
                connection.output.append(HTTPLikeMessages.responseHeader(bodySize: size))
                var head = PayloadPattern.bytes(at: 0, count: min(16, size))
                context.applyToken(to: &head, in: 0..<head.count, now: now)
                connection.output.append(head)
                connection.output.appendPattern(offset: head.count, count: size - head.count)
                connection.requestsServed += 1
                connection.phase = .header
            case .rejecting:
                progressing = false
            }
        }
        connection.output.flush(on: &stack, handle, context.chooser)
        guard let status = stack.status(of: handle) else {
            connection.closed = true
            return
        }
        if let error = status.error {
            connection.error = error
            connection.closed = true
            stack.close(handle, choices: context.chooser)
            return
        }
        let rejected = connection.phase == .rejecting
        let idle = connection.phase == .header && connection.inbound.isEmpty && status.endOfStream
        if connection.output.isEmpty && (rejected || idle) {
            stack.close(handle, choices: context.chooser)
            connection.closed = true
        }
    }

    private func reject(_ connection: inout Connection) {
        connection.phase = .rejecting
        connection.inbound = []
        connection.output.append(HTTPLikeMessages.badRequest)
    }

    public var nextDeadline: VirtualTime? { attention.earliestTimer }

    public var isFinished: Bool { true }
}
