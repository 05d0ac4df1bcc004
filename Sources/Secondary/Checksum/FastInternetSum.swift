/// A fast ones'-complement sum over big-endian 16-bit words, for the rewriter's hot path.
///
/// Reads eight bytes at a time in native order and byte-swaps once at the end: the
/// ones'-complement sum commutes with byte swapping (RFC 1071 §2(B)). Bytes past the end of
/// the buffer (QEMU can sum past a frame, RW-13) read as zero. The result is not folded below
/// 32 bits; it equals `InternetChecksum.partialSum` after folding.
enum FastInternetSum {
    static func sum(_ bytes: [UInt8], from start: Int, count: Int) -> UInt32 {
        guard count > 0 else { return 0 }
        // A start before the buffer cannot happen for TCP offsets; treat it as nothing to sum.
        guard start >= 0, start < bytes.count else { return 0 }
        let available = min(count, bytes.count - start)
        // Zeros past the end add nothing; an odd-length in-buffer part keeps its last byte in
        // the high half of its word, as the tail handling below does.
        return bytes.withUnsafeBytes { raw -> UInt32 in
            var acc: UInt64 = 0
            var other: UInt64 = 0
            var index = start
            let end = start + available
            // Two independent accumulators over 16 bytes per step keep both adders busy.
            while end - index >= 16 {
                let first = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let second = raw.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
                acc &+= (first & 0xffff_ffff) &+ (first >> 32)
                other &+= (second & 0xffff_ffff) &+ (second >> 32)
                index += 16
            }
            acc &+= other
            while end - index >= 8 {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                acc &+= word & 0xffff_ffff
                acc &+= word >> 32
                index += 8
            }
            while end - index >= 2 {
                acc &+= UInt64(raw.loadUnaligned(fromByteOffset: index, as: UInt16.self))
                index += 2
            }
            if index < end {
                // A lone final byte is the high half of a big-endian word: in the native
                // little-endian accumulation that is the low byte.
                acc &+= UInt64(raw[index]).littleEndianHighHalfAdjusted
            }
            while acc > 0xffff { acc = (acc & 0xffff) + (acc >> 16) }
            return UInt32(UInt16(truncatingIfNeeded: acc).bigEndianWordFromNative)
        }
    }
}

private extension UInt64 {
    /// A lone byte loaded into the low position of a native word.
    var littleEndianHighHalfAdjusted: UInt64 {
        #if _endian(little)
        self
        #else
        self << 8
        #endif
    }
}

private extension UInt16 {
    /// The big-endian word sum from a sum accumulated over native-order loads.
    var bigEndianWordFromNative: UInt16 {
        #if _endian(little)
        byteSwapped
        #else
        self
        #endif
    }
}
