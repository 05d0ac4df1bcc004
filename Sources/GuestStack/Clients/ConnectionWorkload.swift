import Fabric

/// The shape of a TCP client workload against a ``RequestResponseServer``.
public struct WorkloadConfiguration: Sendable, Hashable {
    public var server: IPv4Address
    public var port: UInt16 = 80
    public var connections = 1
    public var requestsPerConnection = 1
    /// Request body bytes.
    public var requestSize = 0
    /// Response body bytes asked for.
    public var responseSize = 1_024
    /// Pause between a response and the next request on the same connection; when
    /// ``pipelined``, between sending one request and sending the next.
    public var thinkTime: VirtualDuration = .zero
    /// HTTP/1.1-style pipelining: each request goes out `thinkTime` after the previous one,
    /// without waiting for its response; responses are read in order. The client then sends
    /// data while the guest is still answering, which is what makes the two guests' ack numbers
    /// differ (colo-compare's ack gate, C-11.2).
    public var pipelined = false
    /// Pause between the starts of successive connections.
    public var connectionInterval: VirtualDuration = .zero
    public var recording: RecordingMode = .hash

    public init(server: IPv4Address, port: UInt16 = 80) {
        self.server = server
        self.port = port
    }

    /// One connection sending `bytes` to the guest.
    public static func bulkUpload(bytes: Int, server: IPv4Address, port: UInt16 = 80) -> Self {
        var configuration = Self(server: server, port: port)
        configuration.requestSize = bytes
        configuration.responseSize = 0
        return configuration
    }

    /// One connection receiving `bytes` from the guest.
    public static func bulkDownload(bytes: Int, server: IPv4Address, port: UInt16 = 80) -> Self {
        var configuration = Self(server: server, port: port)
        configuration.requestSize = 0
        configuration.responseSize = bytes
        return configuration
    }
}

/// What one client connection did and received.
public struct ClientConnectionReport: Sendable, Hashable {
    public let index: Int
    public internal(set) var localPort: UInt16?
    public internal(set) var startedAt: VirtualTime?
    public internal(set) var establishedAt: VirtualTime?
    /// When the last response was complete.
    public internal(set) var finishedAt: VirtualTime?
    public internal(set) var requestsCompleted = 0
    /// Response body bytes received, all responses together.
    public internal(set) var bodyBytesReceived = 0
    /// First body offset (all responses concatenated) whose byte differs from the pattern:
    /// a token the guest inserted, or data corruption.
    public internal(set) var firstBodyMismatch: Int?
    /// Everything the application read (headers included), byte for byte.
    public internal(set) var received: StreamRecord
    /// Everything the application handed to the stack.
    public internal(set) var sent: StreamRecord
    public internal(set) var error: TCPConnectionError?
    /// The connection has ended (closed by both sides, or failed).
    public internal(set) var isClosed = false

    init(index: Int, recording: RecordingMode) {
        self.index = index
        received = StreamRecord(mode: recording)
        sent = StreamRecord(mode: recording)
    }
}

/// N client connections, each doing `requestsPerConnection` request/response rounds with think
/// time between them, then closing. Bulk upload and download are the one-request cases.
public struct ConnectionWorkload: StackApplication {
    enum Phase: Sendable, Hashable {
        case waitingToStart(VirtualTime)
        case connecting
        case requesting
        case awaitingHeader
        case awaitingBody(remaining: Int)
        case thinking(until: VirtualTime)
        case closing
        case done
    }

    struct Client: Sendable, Hashable {
        var handle: SocketHandle?
        var phase: Phase
        var output: OutgoingStream
        var inbound: [UInt8] = []
        var report: ClientConnectionReport
        /// Pipelined workloads only: requests handed to the stack, and when the next one is due.
        var requestsSent = 0
        var nextRequestAt: VirtualTime?
    }

    /// What ``run(on:_:)`` needs to decide whether a client can make progress, kept beside
    /// `clients` in a small array: reading every (large) client on every run cost more than
    /// stepping the few that need it.
    struct StepHint: Sendable {
        var handle: SocketHandle?
        var phase: Phase
        var hasOutput: Bool
        var nextRequestAt: VirtualTime?

        init(_ client: Client) {
            handle = client.handle
            phase = client.phase
            hasOutput = !client.output.isEmpty
            nextRequestAt = client.nextRequestAt
        }

        /// Needs a step on every run, whatever the events.
        var needsAlways: Bool {
            switch phase {
            case .requesting: true
            case .done: false
            default: hasOutput
            }
        }

        /// When the client's own timer (start, end of think time, next pipelined request) is due.
        var timer: VirtualTime? {
            let phaseTimer: VirtualTime? = switch phase {
            case .waitingToStart(let at): at
            case .thinking(let until): until
            default: nil
            }
            return earliest(phaseTimer, nextRequestAt)
        }
    }

    public let configuration: WorkloadConfiguration
    private(set) var clients: [Client] = []
    /// `StepHint(clients[i])`, refreshed whenever a client is stepped (the only change).
    private var hints: [StepHint] = []
    private var attention = AttentionList()
    /// Clients not yet done (``isFinished`` is asked after every run).
    private var unfinished = 0

    public init(_ configuration: WorkloadConfiguration) {
        self.configuration = configuration
    }

    public var reports: [ClientConnectionReport] { clients.map(\.report) }

    public mutating func start(on stack: inout NetworkStack, _ context: HostContext) {
        let now = stack.now
        clients = (0..<configuration.connections).map { index in
            Client(handle: nil, phase: .waitingToStart(now + .nanoseconds(configuration.connectionInterval.nanoseconds * Int64(index))),
                   output: OutgoingStream(recording: configuration.recording),
                   report: ClientConnectionReport(index: index, recording: configuration.recording))
        }
        hints = clients.map(StepHint.init)
        for index in hints.indices {
            attention.set(index, always: hints[index].needsAlways, timer: hints[index].timer)
        }
        unfinished = hints.count(where: { $0.phase != .done })
    }

    public mutating func run(on stack: inout NetworkStack, _ context: HostContext) {
        // Stepping a client calls methods on `self`; with `clients` moved out first, that does
        // not copy the whole array on every step (it did: quadratic in connections).
        var stepping = clients
        clients = []
        let now = stack.now
        let candidates = context.socketsWithEvents.map { attention.candidates(events: $0, now: now, adding: 0..<0) }
            ?? Array(stepping.indices)
        for index in candidates where Self.needsStep(hints[index], events: context.socketsWithEvents, now: now) {
            let hadHandle = hints[index].handle != nil
            let wasDone = hints[index].phase == .done
            step(&stepping[index], on: &stack, context)
            hints[index] = StepHint(stepping[index])
            if !wasDone && hints[index].phase == .done { unfinished -= 1 }
            attention.set(index, always: hints[index].needsAlways, timer: hints[index].timer)
            if !hadHandle, let handle = hints[index].handle { attention.register(handle, index: index) }
        }
        clients = stepping
    }

    /// Whether a client can make progress now: its socket had an event, its own timer is due,
    /// or it has something to do or send. Skipping the others keeps a run linear in events
    /// rather than in events × connections.
    private static func needsStep(_ client: StepHint, events: [SocketHandle]?, now: VirtualTime) -> Bool {
        guard let events else { return true }
        switch client.phase {
        case .done: return false
        case .waitingToStart(let at): return at <= now
        case .requesting: return true
        case .thinking(let until) where until <= now: return true
        default: break
        }
        if let due = client.nextRequestAt, due <= now { return true }
        if client.hasOutput { return true }
        guard let handle = client.handle else { return false }
        return events.contains(handle)
    }

    private func step(_ client: inout Client, on stack: inout NetworkStack, _ context: HostContext) {
        let now = stack.now
        var progressing = true
        while progressing {
            if let handle = client.handle, client.phase != .done {
                let status = stack.status(of: handle)
                if let status, status.error == nil {
                    if client.phase == .connecting && status.isConnected {
                        client.report.establishedAt = now
                        client.phase = .requesting
                    } else if status.endOfStream && status.readable == 0 && client.inbound.isEmpty
                                && client.phase != .closing && client.phase != .connecting {
                        // The server closed before answering in full: the report shows it.
                        stack.close(handle, choices: context.chooser)
                        client.report.isClosed = true
                        client.phase = .done
                    }
                } else {
                    if let error = status?.error {
                        client.report.error = error
                        stack.close(handle, choices: context.chooser)
                    } else if client.phase != .closing {
                        client.report.error = .reset
                    }
                    client.report.isClosed = true
                    client.phase = .done
                }
            }
            if let due = client.nextRequestAt, due <= now, client.phase != .done, client.phase != .closing {
                appendRequest(&client, now: now)
            }
            switch client.phase {
            case .waitingToStart(let at):
                guard at <= now else {
                    progressing = false
                    break
                }
                do {
                    let handle = try stack.connect(to: configuration.server, port: configuration.port, choices: context.chooser)
                    client.handle = handle
                    client.report.localPort = stack.status(of: handle)?.localPort
                    client.report.startedAt = now
                    client.phase = .connecting
                } catch {
                    client.report.error = .aborted
                    client.report.isClosed = true
                    client.phase = .done
                }
            case .connecting:
                progressing = false
            case .requesting:
                appendRequest(&client, now: now)
                client.phase = .awaitingHeader
            case .awaitingHeader:
                guard let handle = client.handle else { progressing = false; break }
                if HTTPLikeMessages.headerLength(in: client.inbound) == nil {
                    let data = stack.read(from: handle, choices: context.chooser)
                    client.report.received.append(data)
                    client.inbound += data
                }
                guard let length = HTTPLikeMessages.headerLength(in: client.inbound) else {
                    progressing = false
                    break
                }
                let bodySize = HTTPLikeMessages.parseResponse(client.inbound[0..<length]) ?? 0
                client.inbound.removeFirst(length)
                client.phase = .awaitingBody(remaining: bodySize)
            case .awaitingBody(var remaining):
                guard let handle = client.handle else { progressing = false; break }
                let staged = min(remaining, client.inbound.count)
                if staged > 0 {
                    checkBody(&client.report, client.inbound[0..<staged], responseOffset: bodyOffsetInResponse(remaining))
                    client.inbound.removeFirst(staged)
                    remaining -= staged
                }
                if remaining > 0 {
                    let start = bodyOffsetInResponse(remaining)
                    var taken = 0
                    _ = stack.consume(from: handle, maxBytes: remaining, choices: context.chooser) { raw in
                        client.report.received.append(raw)
                        checkBody(&client.report, raw, responseOffset: start)
                        taken = raw.count
                    }
                    remaining -= taken
                }
                guard remaining == 0 else {
                    client.phase = .awaitingBody(remaining: remaining)
                    progressing = false
                    break
                }
                client.report.requestsCompleted += 1
                if client.report.requestsCompleted >= configuration.requestsPerConnection {
                    client.report.finishedAt = now
                    stack.close(handle, choices: context.chooser)
                    client.phase = .closing
                } else if configuration.pipelined {
                    client.phase = .awaitingHeader
                } else {
                    client.phase = .thinking(until: now + configuration.thinkTime)
                }
            case .thinking(let until):
                if until <= now { client.phase = .requesting } else { progressing = false }
            case .closing:
                guard let handle = client.handle else { progressing = false; break }
                _ = stack.read(from: handle, choices: context.chooser)
                if stack.status(of: handle)?.endOfStream ?? true {
                    client.report.isClosed = true
                    client.phase = .done
                }
                progressing = false
            case .done:
                progressing = false
            }
        }
        if let handle = client.handle, client.phase != .done {
            client.output.flush(on: &stack, handle, context.chooser)
            client.report.sent = client.output.sent
        }
    }

    /// Hands one request to the stack; a pipelined client also sets when the next one is due.
    private func appendRequest(_ client: inout Client, now: VirtualTime) {
        let header = HTTPLikeMessages.requestHeader(
            responseSize: configuration.responseSize, bodySize: configuration.requestSize)
        // Small requests go out in one write, as an HTTP client's writev would: a
        // separate small body write would wait on Nagle for the header's delayed ACK.
        let inline = min(configuration.requestSize, 16_384)
        client.output.append(header + PayloadPattern.bytes(at: 0, count: inline))
        client.output.appendPattern(offset: inline, count: configuration.requestSize - inline)
        client.requestsSent += 1
        client.nextRequestAt = configuration.pipelined && client.requestsSent < configuration.requestsPerConnection
            ? now + configuration.thinkTime : nil
    }

    /// Offset inside the current response body, given the bytes still expected.
    private func bodyOffsetInResponse(_ remaining: Int) -> Int {
        configuration.responseSize - remaining
    }

    private func checkBody(_ report: inout ClientConnectionReport, _ bytes: ArraySlice<UInt8>, responseOffset: Int) {
        bytes.withUnsafeBytes { checkBody(&report, $0, responseOffset: responseOffset) }
    }

    private func checkBody(_ report: inout ClientConnectionReport, _ raw: UnsafeRawBufferPointer, responseOffset: Int) {
        if report.firstBodyMismatch == nil, let offset = Self.firstDifference(raw, patternOffset: responseOffset) {
            report.firstBodyMismatch = report.bodyBytesReceived + offset
        }
        report.bodyBytesReceived += raw.count
    }

    /// Index of the first byte of `raw` that differs from the pattern at `patternOffset`, or
    /// nil. Compares eight bytes at a time: every body byte the client reads goes through here.
    private static func firstDifference(_ raw: UnsafeRawBufferPointer, patternOffset: Int) -> Int? {
        PayloadPattern.table.withUnsafeBytes { pattern -> Int? in
            var position = patternOffset % PayloadPattern.period
            var index = 0
            while index < raw.count {
                // The table holds two periods, so a run up to one period long is contiguous.
                let run = min(raw.count - index, PayloadPattern.period)
                // Bodies nearly always match: one bulk compare, then the search only if not.
                if let rawBase = raw.baseAddress, let patternBase = pattern.baseAddress,
                   CLibrary.bytesEqual(rawBase + index, patternBase + position, count: run) {
                    index += run
                    position = (position + run) % PayloadPattern.period
                    continue
                }
                var offset = 0
                while offset + 8 <= run,
                      raw.loadUnaligned(fromByteOffset: index + offset, as: UInt64.self)
                        == pattern.loadUnaligned(fromByteOffset: position + offset, as: UInt64.self) {
                    offset += 8
                }
                while offset < run {
                    if raw[index + offset] != pattern[position + offset] { return index + offset }
                    offset += 1
                }
                index += run
                position = (position + run) % PayloadPattern.period
            }
            return nil
        }
    }

    public var nextDeadline: VirtualTime? { attention.earliestTimer }

    public var isFinished: Bool { !hints.isEmpty && unfinished == 0 }
}
