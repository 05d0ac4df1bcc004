import GuestStack

/// What a checkpoint's transfer cost is estimated from: the primary guest's traffic.
struct StateCounters: Equatable {
    var payloadBytes = 0
    var frames = 0

    init() {}

    init(_ counters: StackCounters) {
        payloadBytes = counters.tcpPayloadBytesSent + counters.tcpPayloadBytesReceived
        frames = counters.framesSent + counters.framesReceived
    }

    /// Payload bytes plus 64 bytes of socket and buffer state per frame, since `earlier`.
    func bytesChanged(since earlier: StateCounters) -> Int {
        max(0, payloadBytes - earlier.payloadBytes) + 64 * max(0, frames - earlier.frames)
    }
}
