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
    /// once. Each 64-bit load is added as its two 32-bit halves into one of four 64-bit
    /// accumulators: nothing can carry out for any count below 2^34 bytes, so the four sums are
    /// independent chains without carry handling (measured on a 1 480-byte segment: 30 % less
    /// time than 32-bit loads into four lanes; the same on a 20-byte IP header).
    @inlinable @inline(__always)
    public static func sum(_ base: UnsafeRawPointer, count: Int) -> UInt16 {
        @inline(__always) func halves(_ offset: Int) -> UInt64 {
            let word = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            return (word & 0xffff_ffff) &+ (word >> 32)
        }
        var lane0: UInt64 = 0
        var lane1: UInt64 = 0
        var lane2: UInt64 = 0
        var lane3: UInt64 = 0
        var index = 0
        while count - index >= 32 {
            lane0 &+= halves(index)
            lane1 &+= halves(index + 8)
            lane2 &+= halves(index + 16)
            lane3 &+= halves(index + 24)
            index += 32
        }
        // At most 31 bytes are left: each smaller step is needed once at most.
        if count - index >= 16 {
            lane0 &+= halves(index)
            lane1 &+= halves(index + 8)
            index += 16
        }
        var accumulator = lane0 &+ lane1 &+ lane2 &+ lane3
        if count - index >= 8 {
            accumulator &+= halves(index)
            index += 8
        }
        if count - index >= 4 {
            accumulator &+= UInt64(base.loadUnaligned(fromByteOffset: index, as: UInt32.self))
            index += 4
        }
        if count - index >= 2 {
            accumulator &+= UInt64(base.loadUnaligned(fromByteOffset: index, as: UInt16.self))
            index += 2
        }
        if index < count {
            // A lone last byte is the high half of its big-endian word.
            #if _endian(little)
            accumulator &+= UInt64(base.load(fromByteOffset: index, as: UInt8.self))
            #else
            accumulator &+= UInt64(base.load(fromByteOffset: index, as: UInt8.self)) << 8
            #endif
        }
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
