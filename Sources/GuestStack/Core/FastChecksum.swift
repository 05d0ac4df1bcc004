/// The Internet checksum over raw memory, eight bytes at a time.
///
/// The ones'-complement sum is independent of byte order up to a final swap (RFC 1071 §2(B)),
/// so words are summed as the machine loads them and the folded result is swapped once.
enum FastChecksum {
    /// The folded 16-bit ones'-complement sum of `count` bytes at `base`, in network order.
    /// Sums 32-bit words into 64-bit accumulators: exact for any count below 2^34 bytes.
    @inline(__always)
    static func sum(_ base: UnsafeRawPointer, count: Int) -> UInt16 {
        // 32-bit words summed into 64-bit lanes cannot overflow for any frame size, so the
        // loop has no carry chain and the compiler can vectorise it.
        var lane0: UInt64 = 0
        var lane1: UInt64 = 0
        var lane2: UInt64 = 0
        var lane3: UInt64 = 0
        var index = 0
        while index + 16 <= count {
            lane0 &+= UInt64(base.loadUnaligned(fromByteOffset: index, as: UInt32.self))
            lane1 &+= UInt64(base.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self))
            lane2 &+= UInt64(base.loadUnaligned(fromByteOffset: index + 8, as: UInt32.self))
            lane3 &+= UInt64(base.loadUnaligned(fromByteOffset: index + 12, as: UInt32.self))
            index += 16
        }
        while index + 4 <= count {
            lane0 &+= UInt64(base.loadUnaligned(fromByteOffset: index, as: UInt32.self))
            index += 4
        }
        var accumulator = lane0 &+ lane1 &+ lane2 &+ lane3
        var tail: UInt64 = 0
        while index + 2 <= count {
            tail &+= UInt64(base.loadUnaligned(fromByteOffset: index, as: UInt16.self))
            index += 2
        }
        if index < count {
            #if _endian(little)
            tail &+= UInt64(base.load(fromByteOffset: index, as: UInt8.self))
            #else
            tail &+= UInt64(base.load(fromByteOffset: index, as: UInt8.self)) << 8
            #endif
        }
        accumulator &+= tail
        var folded = (accumulator & 0xffff_ffff) &+ (accumulator >> 32)
        folded = (folded & 0xffff_ffff) &+ (folded >> 32)
        var small = (folded & 0xffff) &+ (folded >> 16)
        small = (small & 0xffff) &+ (small >> 16)
        small = (small & 0xffff) &+ (small >> 16)
        #if _endian(little)
        return UInt16(truncatingIfNeeded: small).byteSwapped
        #else
        return UInt16(truncatingIfNeeded: small)
        #endif
    }

    /// Adds two folded sums with end-around carry.
    @inline(__always)
    static func add(_ a: UInt16, _ b: UInt16) -> UInt16 {
        let total = UInt32(a) + UInt32(b)
        return UInt16(truncatingIfNeeded: (total & 0xffff) + (total >> 16))
    }

    /// The folded pseudo-header sum for TCP or UDP (RFC 793 §3.1, RFC 768).
    @inline(__always)
    static func pseudoHeader(source: UInt32, destination: UInt32, protocol proto: UInt8, length: Int) -> UInt16 {
        var sum: UInt32 = (source >> 16) + (source & 0xffff) + (destination >> 16) + (destination & 0xffff)
        sum += UInt32(proto) + UInt32(truncatingIfNeeded: length & 0xffff)
        sum = (sum & 0xffff) + (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16)
        return UInt16(truncatingIfNeeded: sum)
    }
}
