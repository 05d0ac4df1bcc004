/// Big-endian field access on untrusted byte buffers.
///
/// QEMU's shared parser reads some fields without checking that they lie inside the frame
/// (P-1.6: the transport header is never bounds-checked). In QEMU such reads see whatever
/// follows the buffer; an emulator must be deterministic, so out-of-range bytes read as zero.
extension Array where Element == UInt8 {
    @inlinable @inline(__always)
    public func byte(at offset: Int) -> UInt8 {
        offset >= 0 && offset < count ? self[offset] : 0
    }

    @inlinable @inline(__always)
    public func be16(at offset: Int) -> UInt16 {
        UInt16(byte(at: offset)) << 8 | UInt16(byte(at: offset + 1))
    }

    @inlinable @inline(__always)
    public func be32(at offset: Int) -> UInt32 {
        UInt32(byte(at: offset)) << 24 | UInt32(byte(at: offset + 1)) << 16
            | UInt32(byte(at: offset + 2)) << 8 | UInt32(byte(at: offset + 3))
    }

    /// Whether `length` bytes starting at `offset` lie inside the buffer.
    @inlinable
    public func contains(offset: Int, length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= count && count - offset >= length
    }

    @inlinable
    public mutating func setBE16(_ value: UInt16, at offset: Int) {
        self[offset] = UInt8(truncatingIfNeeded: value >> 8)
        self[offset + 1] = UInt8(truncatingIfNeeded: value)
    }

    @inlinable
    public mutating func setBE32(_ value: UInt32, at offset: Int) {
        self[offset] = UInt8(truncatingIfNeeded: value >> 24)
        self[offset + 1] = UInt8(truncatingIfNeeded: value >> 16)
        self[offset + 2] = UInt8(truncatingIfNeeded: value >> 8)
        self[offset + 3] = UInt8(truncatingIfNeeded: value)
    }

    @inlinable
    public mutating func appendBE16(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    @inlinable
    public mutating func appendBE32(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 24))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }
}

/// The same big-endian reads for hot paths: one unaligned load when the field lies inside the
/// buffer, the zero-filling reader above otherwise, so the result is always the same.
extension Array where Element == UInt8 {
    @inlinable @inline(__always)
    public func fastBE32(at offset: Int) -> UInt32 {
        guard offset >= 0, offset <= count - 4 else { return be32(at: offset) }
        return withUnsafeBytes { UInt32(bigEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    }

    @inlinable @inline(__always)
    public func fastBE16(at offset: Int) -> UInt16 {
        guard offset >= 0, offset <= count - 2 else { return be16(at: offset) }
        return withUnsafeBytes { UInt16(bigEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt16.self)) }
    }
}
