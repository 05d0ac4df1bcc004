import Fabric

/// The stack's TCP sockets, in creation order (which fixes timer and application order).
struct TCPLayer: Sendable {
    /// Changed only through ``subscript(_:)``, ``append(_:)`` and ``remove(at:)``, which keep
    /// `deadlines` in step.
    private(set) var connections: [TCPConnection] = []
    /// `connections[i].nextDeadline` in nanoseconds, `Int64.max` for none. The stack's next
    /// deadline is asked after every frame; scanning this small array instead of every (large)
    /// control block keeps that cheap with many connections.
    private var deadlines: [Int64] = []
    /// The smallest of `deadlines` (`Int64.max` when none), or nil when a change may have raised
    /// it and only a scan can tell. Most changes leave it known, so most frames need no scan.
    private var earliest: Int64? = .max
    var listeners: [TCPListener] = []
    /// Index of the connection that matched last: bulk transfers hit the same one repeatedly.
    var lastMatch = 0

    var count: Int { connections.count }

    /// The `index`-th control block; a change through it refreshes its deadline.
    subscript(index: Int) -> TCPConnection {
        _read { yield connections[index] }
        _modify {
            defer { updateDeadline(index) }
            yield &connections[index]
        }
    }

    private mutating func updateDeadline(_ index: Int) {
        let old = deadlines[index]
        let new = connections[index].nextDeadline?.nanoseconds ?? .max
        guard new != old else { return }
        deadlines[index] = new
        if let known = earliest {
            if new < known {
                earliest = new
            } else if old == known {
                earliest = nil
            }
        }
    }

    mutating func append(_ connection: TCPConnection) {
        let deadline = connection.nextDeadline?.nanoseconds ?? .max
        connections.append(connection)
        deadlines.append(deadline)
        if let known = earliest { earliest = min(known, deadline) }
    }

    mutating func remove(at index: Int) {
        if deadlines[index] == earliest { earliest = nil }
        connections.remove(at: index)
        deadlines.remove(at: index)
    }

    /// Whether the `index`-th connection has a timer due at or before `time`.
    func isDue(_ index: Int, at time: VirtualTime) -> Bool {
        deadlines[index] <= time.nanoseconds && deadlines[index] != .max
    }

    /// The earliest timer of any connection.
    var nextDeadline: VirtualTime? {
        Self.time(earliest ?? deadlines.min() ?? .max)
    }

    /// ``nextDeadline``, keeping the result of a scan for the calls that follow.
    mutating func settleNextDeadline() -> VirtualTime? {
        let value = earliest ?? deadlines.min() ?? .max
        earliest = value
        return Self.time(value)
    }

    private static func time(_ nanoseconds: Int64) -> VirtualTime? {
        nanoseconds == .max ? nil : VirtualTime(nanoseconds: nanoseconds)
    }

    mutating func find(local: IPv4Address, localPort: UInt16, remote: IPv4Address, remotePort: UInt16) -> Int? {
        if lastMatch < connections.count,
           connections[lastMatch].matches(local: local, localPort: localPort, remote: remote, remotePort: remotePort) {
            return lastMatch
        }
        guard let index = connections.firstIndex(where: {
            $0.matches(local: local, localPort: localPort, remote: remote, remotePort: remotePort)
        }) else { return nil }
        lastMatch = index
        return index
    }

    /// Handles grow with every socket made and connections are appended as they are made (and
    /// only ever removed), so the array is sorted by handle: a binary search finds one in
    /// O(log n), which matters because applications look their sockets up on every run.
    func index(of handle: SocketHandle) -> Int? {
        var low = 0
        var high = connections.count
        while low < high {
            let middle = (low + high) / 2
            let value = connections[middle].handle
            if value == handle { return middle }
            if value < handle { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    func listenerIndex(of handle: SocketHandle) -> Int? {
        listeners.firstIndex { $0.handle == handle }
    }

    func portInUse(_ port: UInt16) -> Bool {
        listeners.contains { $0.port == port } || connections.contains { $0.localPort == port }
    }
}

/// TCP: segment dispatch, passive and active opens, and the socket calls applications make.
extension NetworkStack {
    mutating func receiveTCP(_ segment: InboundTCPSegment, _ bytes: [UInt8], _ choices: any Chooser) {
        interface.counters.tcpSegmentsReceived += 1
        if let index = tcp.find(local: segment.destination, localPort: segment.destinationPort,
                                remote: segment.source, remotePort: segment.sourcePort) {
            let outcome = tcp[index].input(segment, bytes, &interface, choices)
            if outcome.completedPassiveOpen, let listener = tcp[index].listener,
               let listenerIndex = tcp.listenerIndex(of: listener) {
                tcp.listeners[listenerIndex].acceptQueue.append(tcp[index].handle)
            }
            _ = reapIfFinished(index)
            return
        }
        if let listenerIndex = tcp.listeners.firstIndex(where: { $0.port == segment.destinationPort }) {
            passiveOpen(segment, listenerIndex: listenerIndex, choices)
            return
        }
        interface.counters[drop: .tcpNoConnection] += 1
        interface.sendReset(answering: segment, choices)
    }

    /// LISTEN state (RFC 793 p. 65): a SYN creates a connection in SYN-RECEIVED.
    private mutating func passiveOpen(_ segment: InboundTCPSegment, listenerIndex: Int, _ choices: any Chooser) {
        let flags = segment.flags
        if flags.contains(.rst) {
            interface.counters[drop: .tcpUnexpected] += 1
            return
        }
        if flags.contains(.ack) {
            interface.counters[drop: .tcpUnexpected] += 1
            interface.sendReset(answering: segment, choices)
            return
        }
        guard flags.contains(.syn) else {
            interface.counters[drop: .tcpUnexpected] += 1
            return
        }
        let listener = tcp.listeners[listenerIndex]
        let pending = tcp.connections.reduce(0) { $0 + ($1.listener == listener.handle ? 1 : 0) }
        guard pending < listener.backlog else {
            interface.counters[drop: .tcpBacklogFull] += 1
            return
        }
        var connection = TCPConnection(
            handle: newHandle(), localAddress: segment.destination, localPort: segment.destinationPort,
            remoteAddress: segment.source, remotePort: segment.sourcePort, state: .synReceived,
            initialSendSequence: drawInitialSequence(choices), configuration: configuration.tcp)
        connection.listener = listener.handle
        connection.initialReceiveSequence = segment.sequence
        connection.receiveNext = segment.sequence &+ 1
        connection.receiveAdvertisedEdge = connection.receiveNext
        connection.negotiate(with: segment, configuration)
        connection.timestampOffset = drawTimestampOffset(choices)
        connection.updateWindow(from: segment, force: true)
        connection.output(&interface, choices)
        tcp.append(connection)
    }

    private mutating func drawInitialSequence(_ choices: any Chooser) -> UInt32 {
        switch configuration.tcp.initialSequenceNumber {
        case .fixed(let value): value
        case .chosen: UInt32(choices.draw(interface.points.initialSequenceNumber, 0...UInt64(UInt32.max)))
        }
    }

    private mutating func drawTimestampOffset(_ choices: any Chooser) -> UInt32 {
        switch configuration.tcp.timestampOffset {
        case .zero: 0
        case .chosen: UInt32(choices.draw(interface.points.timestampOffset, 0...UInt64(UInt32.max)))
        }
    }

    /// Removes a connection that is CLOSED and that no application holds; true if removed.
    mutating func reapIfFinished(_ index: Int) -> Bool {
        guard tcp[index].state == .closed,
              tcp[index].applicationClosed || tcp[index].listener != nil else { return false }
        let handle = tcp[index].handle
        if let listener = tcp[index].listener, let listenerIndex = tcp.listenerIndex(of: listener) {
            tcp.listeners[listenerIndex].acceptQueue.removeAll { $0 == handle }
        }
        tcp.remove(at: index)
        tcp.lastMatch = 0
        return true
    }

    // MARK: Socket calls

    /// Opens a listening socket on `port`.
    public mutating func listen(port: UInt16, backlog: Int? = nil) throws(StackSocketError) -> SocketHandle {
        guard !tcp.listeners.contains(where: { $0.port == port }) else { throw .portInUse(port) }
        let handle = newHandle()
        tcp.listeners.append(TCPListener(handle: handle, port: port, backlog: backlog ?? configuration.tcp.listenBacklog))
        return handle
    }

    /// The oldest connection that completed its handshake on `listener`, now owned by the caller.
    public mutating func accept(_ listener: SocketHandle) -> SocketHandle? {
        guard let listenerIndex = tcp.listenerIndex(of: listener),
              !tcp.listeners[listenerIndex].acceptQueue.isEmpty else { return nil }
        let handle = tcp.listeners[listenerIndex].acceptQueue.removeFirst()
        if let index = tcp.index(of: handle) { tcp[index].listener = nil }
        return handle
    }

    /// Starts an active open (sends SYN); the socket becomes connected when the handshake ends.
    public mutating func connect(to remote: IPv4Address, port: UInt16, localPort: UInt16? = nil,
                                 choices: any Chooser) throws(StackSocketError) -> SocketHandle {
        let chosenPort: UInt16
        if let localPort {
            guard tcp.find(local: interface.address, localPort: localPort, remote: remote, remotePort: port) == nil,
                  !tcp.listeners.contains(where: { $0.port == localPort }) else { throw .portInUse(localPort) }
            chosenPort = localPort
        } else {
            chosenPort = try ephemeralPort(choices)
        }
        var connection = TCPConnection(
            handle: newHandle(), localAddress: interface.address, localPort: chosenPort, remoteAddress: remote,
            remotePort: port, state: .synSent, initialSendSequence: drawInitialSequence(choices),
            configuration: configuration.tcp)
        connection.timestampsEnabled = configuration.tcp.timestamps
        connection.sackEnabled = configuration.tcp.sackPermitted
        connection.timestampOffset = drawTimestampOffset(choices)
        connection.output(&interface, choices)
        tcp.append(connection)
        return connection.handle
    }

    private mutating func ephemeralPort(_ choices: any Chooser) throws(StackSocketError) -> UInt16 {
        for _ in 0..<16_384 {
            let candidate: UInt16
            switch configuration.ephemeralPorts {
            case .sequential(let first):
                candidate = nextEphemeralPort
                nextEphemeralPort = nextEphemeralPort == UInt16.max ? first : nextEphemeralPort + 1
            case .random:
                candidate = UInt16(choices.draw(interface.points.ephemeralPort, 49_152...UInt64(UInt16.max)))
            }
            if !tcp.portInUse(candidate) { return candidate }
        }
        throw .noEphemeralPort
    }

    /// Queues as much of `bytes` as the send buffer takes and sends what the windows allow.
    /// Returns the number of bytes taken.
    @discardableResult
    public mutating func send(_ bytes: [UInt8], on handle: SocketHandle, choices: any Chooser) throws(StackSocketError) -> Int {
        try bytes.withUnsafeBytes { raw in enqueue(raw, on: handle, choices) }.get()
    }

    @discardableResult
    public mutating func send(_ bytes: UnsafeRawBufferPointer, on handle: SocketHandle, choices: any Chooser) throws(StackSocketError) -> Int {
        try enqueue(bytes, on: handle, choices).get()
    }

    private mutating func enqueue(_ bytes: UnsafeRawBufferPointer, on handle: SocketHandle, _ choices: any Chooser) -> Result<Int, StackSocketError> {
        guard let index = tcp.index(of: handle) else { return .failure(.noSuchSocket(handle)) }
        switch tcp[index].state {
        case .synSent, .synReceived, .established, .closeWait: break
        default: return .failure(.connectionClosed(handle))
        }
        guard !tcp[index].finQueued else { return .failure(.connectionClosed(handle)) }
        let space = max(0, configuration.tcp.sendBufferSize - tcp[index].sendBuffer.count)
        let taken = min(space, bytes.count)
        guard taken > 0 else { return .success(0) }
        tcp[index].sendBuffer.append(UnsafeRawBufferPointer(rebasing: bytes[0..<taken]))
        tcp[index].output(&interface, choices)
        return .success(taken)
    }

    /// Removes and returns up to `maxBytes` received bytes; may send a window update.
    public mutating func read(from handle: SocketHandle, maxBytes: Int = .max, choices: any Chooser) -> [UInt8] {
        guard let index = tcp.index(of: handle) else { return [] }
        return tcp[index].read(maxBytes: maxBytes, &interface, choices)
    }

    /// Discards up to `maxBytes` received bytes after passing them to `body`, without copying.
    public mutating func consume(from handle: SocketHandle, maxBytes: Int = .max, choices: any Chooser,
                                 _ body: (UnsafeRawBufferPointer) -> Void) -> Int {
        guard let index = tcp.index(of: handle) else { return 0 }
        return tcp[index].consume(maxBytes: maxBytes, &interface, choices, body)
    }

    /// Closes the application's side (FIN after the queued data); the socket handle stays valid
    /// for reading until the connection is gone.
    public mutating func close(_ handle: SocketHandle, choices: any Chooser) {
        guard let index = tcp.index(of: handle) else {
            if let listenerIndex = tcp.listenerIndex(of: handle) { closeListener(listenerIndex, choices) }
            return
        }
        tcp[index].applicationClosed = true
        tcp[index].listener = nil
        switch tcp[index].state {
        case .synSent:
            if tcp[index].sendBuffer.isEmpty {
                tcp[index].close(with: nil)
            } else {
                // Data written before the handshake ends still goes out, followed by FIN.
                tcp[index].finQueued = true
            }
        case .synReceived, .established:
            tcp[index].finQueued = true
            tcp[index].state = .finWait1
            tcp[index].output(&interface, choices)
        case .closeWait:
            tcp[index].finQueued = true
            tcp[index].state = .lastAck
            tcp[index].output(&interface, choices)
        default:
            break
        }
        _ = reapIfFinished(index)
    }

    /// Resets the connection (RST to the peer) and forgets it.
    public mutating func abort(_ handle: SocketHandle, choices: any Chooser) {
        guard let index = tcp.index(of: handle) else { return }
        if tcp[index].state.isSynchronized {
            tcp[index].emit(
                sequence: tcp[index].sendNext, dataOffset: 0, length: 0, flags: [.rst, .ack], &interface, choices)
            interface.counters.tcpResetsSent += 1
        }
        tcp[index].applicationClosed = true
        tcp[index].close(with: .aborted)
        _ = reapIfFinished(index)
    }

    private mutating func closeListener(_ listenerIndex: Int, _ choices: any Chooser) {
        let listener = tcp.listeners.remove(at: listenerIndex)
        var index = 0
        while index < tcp.count {
            if tcp[index].listener == listener.handle {
                tcp[index].listener = nil
                abort(tcp[index].handle, choices: choices)
                continue
            }
            index += 1
        }
    }

    public func status(of handle: SocketHandle) -> TCPSocketStatus? {
        guard let index = tcp.index(of: handle) else { return nil }
        return tcp[index].status(sendBufferSize: configuration.tcp.sendBufferSize)
    }

    /// Handles of every TCP connection, in creation order.
    public var connectionHandles: [SocketHandle] { tcp.connections.map(\.handle) }
}
