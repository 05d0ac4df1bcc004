/// One connection-table entry of the rewriter (§8.2, P-6: everything starts at zero/CLOSED).
public struct RewriterConnection: Sendable, Hashable {
    public var tcpState: RewriterTCPState = .closed
    /// Secondary ISN − primary ISN (mod 2^32) once learned. Under QEMU's rules it also holds
    /// the guest's raw ISN between RW-11.1 and RW-9.1.
    public var offset: UInt32 = 0
    /// The sequence number recorded from the guest's FIN+ACK in CLOSE_WAIT (RW-11.4).
    public var finAckSeq: UInt32 = 0
    /// The guest's ISN waiting for the client's acknowledgement to complete the offset.
    /// Used only when a profile stops parking the ISN in `offset` or learns offsets for
    /// guest-initiated connections; a checkpoint clears it.
    public var pendingGuestISN: UInt32?

    public init() {}

    public init(tcpState: RewriterTCPState, offset: UInt32 = 0, finAckSeq: UInt32 = 0, pendingGuestISN: UInt32? = nil) {
        self.tcpState = tcpState
        self.offset = offset
        self.finAckSeq = finAckSeq
        self.pendingGuestISN = pendingGuestISN
    }
}
