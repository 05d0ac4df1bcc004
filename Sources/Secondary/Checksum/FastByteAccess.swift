/// Big-endian reads for the rewriter's hot path: one unaligned load when the field lies inside
/// the buffer, Fabric's zero-filling reader otherwise (so bytes past the frame still read as 0).
extension Array where Element == UInt8 {
    @inline(__always)
    func fastBE32(at offset: Int) -> UInt32 {
        guard offset >= 0, offset <= count - 4 else { return be32(at: offset) }
        return withUnsafeBytes { UInt32(bigEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    }

    @inline(__always)
    func fastBE16(at offset: Int) -> UInt16 {
        guard offset >= 0, offset <= count - 2 else { return be16(at: offset) }
        return withUnsafeBytes { UInt16(bigEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt16.self)) }
    }
}
