import Fabric

/// A TCP echo server (RFC 862): every byte read is written back, after the host's processing
/// delay, with a token over the first bytes of a chunk at the host's token rate.
public struct EchoServer: StackApplication {
    public struct Connection: Sendable, Hashable {
        public let handle: SocketHandle
        public internal(set) var received: StreamRecord
        var output: OutgoingStream
        /// Chunks read and not yet due, with the instant they may go out (FIFO).
        var delayed: [(readyAt: VirtualTime, bytes: [UInt8])] = []
        public internal(set) var closed = false
        public internal(set) var error: TCPConnectionError?
        public var sent: StreamRecord { output.sent }

        init(handle: SocketHandle, recording: RecordingMode) {
            self.handle = handle
            received = StreamRecord(mode: recording)
            output = OutgoingStream(recording: recording)
        }

        public static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.handle == rhs.handle && lhs.received == rhs.received && lhs.output == rhs.output && lhs.closed == rhs.closed
                && lhs.delayed.map(\.readyAt) == rhs.delayed.map(\.readyAt) && lhs.delayed.map(\.bytes) == rhs.delayed.map(\.bytes)
        }

        public func hash(into hasher: inout Hasher) { hasher.combine(handle) }
    }

    public let port: UInt16
    public let recording: RecordingMode
    public private(set) var listener: SocketHandle?
    public private(set) var connections: [Connection] = []

    public init(port: UInt16 = 7, recording: RecordingMode = .hash) {
        self.port = port
        self.recording = recording
    }

    public mutating func start(on stack: inout NetworkStack, _ context: HostContext) {
        listener = try? stack.listen(port: port)
    }

    public mutating func run(on stack: inout NetworkStack, _ context: HostContext) {
        guard let listener else { return }
        while let handle = stack.accept(listener) {
            connections.append(Connection(handle: handle, recording: recording))
        }
        let now = stack.now
        for index in connections.indices where !connections[index].closed {
            let handle = connections[index].handle
            var data = stack.read(from: handle, choices: context.chooser)
            if !data.isEmpty {
                connections[index].received.append(data)
                context.applyToken(to: &data, in: 0..<min(16, data.count), now: now)
                let due = now + context.processingDelay()
                let readyAt = connections[index].delayed.last.map { max($0.readyAt, due) } ?? due
                connections[index].delayed.append((readyAt, data))
            }
            while let first = connections[index].delayed.first, first.readyAt <= now {
                connections[index].output.append(first.bytes)
                connections[index].delayed.removeFirst()
            }
            connections[index].output.flush(on: &stack, handle, context.chooser)
            guard let status = stack.status(of: handle) else {
                connections[index].closed = true
                continue
            }
            if let error = status.error {
                connections[index].error = error
                connections[index].closed = true
                stack.close(handle, choices: context.chooser)
            } else if status.endOfStream && connections[index].delayed.isEmpty && connections[index].output.isEmpty {
                stack.close(handle, choices: context.chooser)
                connections[index].closed = true
            }
        }
    }

    public var nextDeadline: VirtualTime? {
        var deadline: VirtualTime?
        for connection in connections where !connection.closed {
            deadline = earliest(deadline, connection.delayed.first?.readyAt)
        }
        return deadline
    }

    public var isFinished: Bool { true }
}
