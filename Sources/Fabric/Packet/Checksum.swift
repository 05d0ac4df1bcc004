/// The Internet checksum (RFC 1071) and the IPv4 pseudo-header sum of TCP and UDP: the one
/// implementation the packet builders, the guests' stack and the rewriter all use.
///
/// Sums are folded 16-bit ones'-complement sums of big-endian words (an odd last byte padded
/// with zero); a checksum field holds the inverted sum of everything it covers.
public enum InternetChecksum {
    /// The folded sum of `count` bytes at `base`.
    ///
    /// The ones'-complement sum is independent of byte order up to a final swap (RFC 1071
    /// §2(B)), so words are summed as the machine loads them and the folded result is swapped
    /// once. 32-bit words summed into 64-bit lanes cannot overflow for any count below 2^34
    /// bytes, so the loop has no carry chain and the compiler can vectorise it.
    @inlinable @inline(__always)
    public static func sum(_ base: UnsafeRawPointer, count: Int) -> UInt16 {
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
            // A lone last byte is the high half of its big-endian word.
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

    /// The folded sum of `count` bytes of `bytes` from `start`. Bytes past the end of the array
    /// read as zero (QEMU's rewriter sums past a frame, RW-13); a start outside it sums nothing.
    @inlinable
    public static func sum(_ bytes: [UInt8], from start: Int, count: Int) -> UInt16 {
        guard count > 0, start >= 0, start < bytes.count else { return 0 }
        let available = min(count, bytes.count - start)
        return bytes.withUnsafeBytes { sum($0.baseAddress! + start, count: available) }
    }

    /// Two folded sums added with end-around carry.
    @inlinable @inline(__always)
    public static func add(_ a: UInt16, _ b: UInt16) -> UInt16 {
        let total = UInt32(a) + UInt32(b)
        return UInt16(truncatingIfNeeded: (total & 0xffff) + (total >> 16))
    }

    /// The folded sum of the IPv4 pseudo-header (RFC 793 §3.1, RFC 768): source, destination,
    /// zero and protocol, and the upper-layer length (taken mod 2^16).
    @inlinable @inline(__always)
    public static func pseudoHeader(source: UInt32, destination: UInt32, protocol proto: UInt8, length: Int) -> UInt16 {
        var sum: UInt32 = (source >> 16) + (source & 0xffff) + (destination >> 16) + (destination & 0xffff)
        sum += UInt32(proto) + UInt32(truncatingIfNeeded: length & 0xffff)
        sum = (sum & 0xffff) + (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16)
        return UInt16(truncatingIfNeeded: sum)
    }

    /// The checksum field value for `count` bytes from `start` (to the end by default).
    public static func checksum(_ bytes: [UInt8], from start: Int = 0, count: Int? = nil) -> UInt16 {
        ~sum(bytes, from: start, count: count ?? bytes.count - start)
    }
}
