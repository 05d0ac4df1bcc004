import Fabric

/// One TCP control block (RFC 793 §3.2 variables plus RFC 5681/6298/7323 state). A value type:
/// copying a stack copies every connection with its buffers and timers.
struct TCPConnection: Sendable, Hashable {
    let handle: SocketHandle
    let localAddress: IPv4Address
    let localPort: UInt16
    let remoteAddress: IPv4Address
    let remotePort: UInt16
    var state: TCPState
    /// The listener a passive connection came from; nil once accepted or for active opens.
    var listener: SocketHandle?
    /// The application has called close: no more writes, and the block goes once CLOSED.
    var applicationClosed = false
    var error: TCPConnectionError?

    // Send side (RFC 793 §3.2).
    var initialSendSequence: UInt32
    var sendUnacknowledged: UInt32
    var sendNext: UInt32
    /// Highest sequence sent so far; SND.NXT falls back below it after a timeout.
    var sendMax: UInt32
    var sendWindow: UInt32 = 0
    var sendWindowUpdateSequence: UInt32 = 0
    var sendWindowUpdateAck: UInt32 = 0
    var largestSendWindow: UInt32 = 0
    /// Written data from SND.UNA onward (minus the SYN), acknowledged bytes removed.
    var sendBuffer = ByteQueue()
    /// Sequence number of `sendBuffer`'s first byte.
    var sendBufferSequence: UInt32
    /// The application closed its side: a FIN follows the buffered data.
    var finQueued = false
    var sendMSS: Int = 536

    // Receive side.
    var initialReceiveSequence: UInt32 = 0
    var receiveNext: UInt32 = 0
    /// Right edge of the window last advertised (never moved left, RFC 793 §3.7).
    var receiveAdvertisedEdge: UInt32 = 0
    var receiveBuffer = ByteQueue()
    var reassembly = ReassemblyQueue()
    var finReceived = false
    /// Largest payload seen from the peer: the delayed-ACK "full segment" size, as Linux's rcv_mss.
    var receiveMSS: Int = 536
    var unacknowledgedBytes = 0
    var ackNow = false

    // Options.
    var timestampsEnabled = false
    var sackEnabled = false
    var timestampRecent: UInt32 = 0
    var timestampOffset: UInt32 = 0
    var lastAckSent: UInt32 = 0

    // Congestion control (RFC 5681, RFC 6582).
    var congestionWindow: Int = 0
    var slowStartThreshold: Int = Int(Int32.max)
    var duplicateAcks = 0
    var inRecovery = false
    var recoverPoint: UInt32 = 0

    // RTT measurement and timers.
    var rto: RTOEstimator
    var timedSequence: UInt32?
    var timedAt: VirtualTime = .zero
    var retransmissions = 0
    var synRetransmitted = false
    var retransmitDeadline: VirtualTime?
    var delayedAckDeadline: VirtualTime?
    var persistDeadline: VirtualTime?
    var persistBackoff = 0
    var timeWaitDeadline: VirtualTime?

    init(handle: SocketHandle, localAddress: IPv4Address, localPort: UInt16, remoteAddress: IPv4Address,
         remotePort: UInt16, state: TCPState, initialSendSequence iss: UInt32, configuration: TCPConfiguration) {
        self.handle = handle
        self.localAddress = localAddress
        self.localPort = localPort
        self.remoteAddress = remoteAddress
        self.remotePort = remotePort
        self.state = state
        initialSendSequence = iss
        sendUnacknowledged = iss
        sendNext = iss
        sendMax = iss
        sendBufferSequence = iss &+ 1
        rto = RTOEstimator(configuration: configuration)
    }

    func matches(local: IPv4Address, localPort: UInt16, remote: IPv4Address, remotePort: UInt16) -> Bool {
        self.localPort == localPort && self.remotePort == remotePort && remoteAddress == remote && localAddress == local
    }

    /// Sequence number our FIN occupies (meaningful once `finQueued`).
    var finSequence: UInt32 { sendBufferSequence &+ UInt32(sendBuffer.count) }
    var finSent: Bool { finQueued && Seq.gt(sendMax, finSequence) }
    var finAcknowledged: Bool { finQueued && Seq.gt(sendUnacknowledged, finSequence) }
    var bytesInFlight: Int { Seq.distance(sendUnacknowledged, sendNext) }

    func status(sendBufferSize: Int) -> TCPSocketStatus {
        TCPSocketStatus(
            state: state, localAddress: localAddress, localPort: localPort, remoteAddress: remoteAddress,
            remotePort: remotePort, readable: receiveBuffer.count,
            sendSpace: finQueued ? 0 : max(0, sendBufferSize - sendBuffer.count),
            unacknowledged: sendBuffer.count, endOfStream: finReceived && receiveBuffer.isEmpty, error: error)
    }

    var nextDeadline: VirtualTime? {
        earliest(earliest(retransmitDeadline, delayedAckDeadline), earliest(persistDeadline, timeWaitDeadline))
    }
}

/// A listening socket: its port and the connections it has completed, oldest first.
struct TCPListener: Sendable, Hashable {
    let handle: SocketHandle
    let port: UInt16
    let backlog: Int
    var acceptQueue: [SocketHandle] = []
}
