/// One frame as QEMU's net clients hand it to each other.
///
/// `bytes` is the whole buffer: when a virtio-net header is in use it starts with that header,
/// otherwise with the Ethernet header. `vnetHeaderLength` is the V that travels beside the frame
/// on a chardev (W-1): metadata only, never validated on the wire (W-8), checked only when a
/// packet is parsed (W-13), so it keeps the full 32-bit range a peer may send.
public struct Frame: Sendable, Hashable {
    public var bytes: [UInt8]
    public var vnetHeaderLength: UInt32

    public init(_ bytes: [UInt8], vnetHeaderLength: UInt32 = 0) {
        self.bytes = bytes
        self.vnetHeaderLength = vnetHeaderLength
    }

    @inlinable public var count: Int { bytes.count }
    @inlinable public var isEmpty: Bool { bytes.isEmpty }
}
