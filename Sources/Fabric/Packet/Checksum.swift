/// The Internet checksum (RFC 1071) and the IPv4 pseudo-header used by TCP and UDP.
public enum InternetChecksum {
    /// Ones'-complement sum of 16-bit big-endian words, not yet folded or inverted.
    /// An odd trailing byte is padded with zero, as RFC 1071 says.
    @inlinable
    public static func partialSum(_ bytes: [UInt8], from start: Int, count length: Int, initial: UInt32 = 0) -> UInt32 {
        var sum = UInt64(initial)
        let end = start + length
        var index = start
        bytes.withUnsafeBufferPointer { buffer in
            while index + 1 < end {
                sum &+= UInt64(buffer[index]) << 8 | UInt64(buffer[index + 1])
                index += 2
            }
            if index < end { sum &+= UInt64(buffer[index]) << 8 }
        }
        while sum > 0xffff_ffff { sum = (sum & 0xffff_ffff) + (sum >> 32) }
        return UInt32(sum)
    }

    @inlinable
    public static func fold(_ sum: UInt32) -> UInt16 {
        var value = sum
        while value > 0xffff { value = (value & 0xffff) + (value >> 16) }
        return UInt16(value)
    }

    /// The checksum field value: the inverted folded sum.
    @inlinable
    public static func finish(_ sum: UInt32) -> UInt16 { ~fold(sum) }

    public static func checksum(_ bytes: [UInt8], from start: Int = 0, count: Int? = nil) -> UInt16 {
        finish(partialSum(bytes, from: start, count: count ?? bytes.count - start))
    }

    /// Sum of the IPv4 pseudo-header: source, destination, zero+protocol, upper-layer length.
    public static func pseudoHeaderSum(source: UInt32, destination: UInt32, protocol proto: UInt8, length: Int) -> UInt32 {
        var sum: UInt32 = 0
        sum &+= source >> 16
        sum &+= source & 0xffff
        sum &+= destination >> 16
        sum &+= destination & 0xffff
        sum &+= UInt32(proto)
        sum &+= UInt32(truncatingIfNeeded: length) & 0xffff
        return sum
    }
}
