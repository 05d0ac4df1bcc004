import Fabric

/// A parsed record waiting in a connection queue, with the TCP fields QEMU computes when it
/// inserts the packet (C-8). Integer widths follow QEMU's storage unless the profile fixes them.
struct QueuedPacket {
    var frame: Frame
    /// Per-side record index.
    var index: Int
    /// Host-clock ms at arrival (P-7).
    var creationMs: Int64

    // TCP only (C-8).
    var seq: UInt32 = 0
    var ack: UInt32 = 0
    var seqEnd: UInt32 = 0
    // Narrow storage keeps the packet at 64 bytes: queues move packets a lot. Every value fits
    // (frames are at most 69 632 bytes, V ≤ 20, headers ≤ 60 bytes each).
    private var storedHeaderSize: Int32 = 0
    private var storedPayloadSize: Int32 = 0
    private var storedOffset: Int32 = 0
    private var storedNetworkOffset: UInt8
    private var storedIHL: UInt8
    var flags: UInt8 = 0

    init(frame: Frame, index: Int, creationMs: Int64, layout: COLOPacketLayout) {
        self.frame = frame
        self.index = index
        self.creationMs = creationMs
        storedNetworkOffset = UInt8(truncatingIfNeeded: layout.networkOffset)
        storedIHL = UInt8(truncatingIfNeeded: layout.ihl)
    }

    /// The frame, ending the packet (lets the frame move out instead of being copied).
    consuming func takeFrame() -> Frame { frame }

    /// V + L2 header length: where the IPv4 header starts.
    var networkOffset: Int { Int(storedNetworkOffset) }
    var ihl: Int { Int(storedIHL) }
    var headerSize: Int {
        get { Int(storedHeaderSize) }
        set { storedHeaderSize = Int32(truncatingIfNeeded: newValue) }
    }
    var payloadSize: Int {
        get { Int(storedPayloadSize) }
        set { storedPayloadSize = Int32(truncatingIfNeeded: newValue) }
    }
    /// Payload bytes already matched (C-10).
    var offset: Int {
        get { Int(storedOffset) }
        set { storedOffset = Int32(truncatingIfNeeded: newValue) }
    }

    var transportOffset: Int { networkOffset + 4 * ihl }
    var vnetHeaderLength: Int { Int(frame.vnetHeaderLength) }
    var hasPayload: Bool { seq != seqEnd }

    /// C-8: seq, ack, header and payload size, seq_end, flags. Fields past the frame read as 0.
    mutating func fillTCPFields(quirks: CompareQuirks) {
        let bytes = frame.bytes
        let transport = transportOffset
        seq = bytes.be32(at: transport + 4)
        ack = bytes.be32(at: transport + 8)
        let dataOffsetBytes = 4 * Int(bytes.byte(at: transport + 12) >> 4)
        flags = bytes.byte(at: transport + 13)
        let header = transport + dataOffsetBytes
        if quirks[.sixteenBitArithmetic] {
            headerSize = Int(UInt8(truncatingIfNeeded: header))
        } else {
            headerSize = header
        }
        let payload: Int
        if quirks[.payloadFromFrameLength] {
            payload = bytes.count - headerSize
        } else {
            // Padding after the IP datagram is not payload; a total length that claims more
            // than the frame holds is cut to what is there.
            let claimed = Int(bytes.be16(at: networkOffset + 2)) - 4 * ihl - dataOffsetBytes
            payload = min(claimed, bytes.count - header)
        }
        if quirks[.sixteenBitArithmetic] {
            payloadSize = Int(UInt16(truncatingIfNeeded: payload))
        } else {
            payloadSize = max(0, payload)
        }
        seqEnd = seq &+ UInt32(truncatingIfNeeded: payloadSize)
    }
}

/// Circular sequence comparison (§0): a is strictly after b.
@inline(__always)
func later(_ a: UInt32, _ b: UInt32) -> Bool {
    Int32(bitPattern: a &- b) > 0
}
