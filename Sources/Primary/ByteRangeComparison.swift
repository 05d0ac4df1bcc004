#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Fabric

/// Outcome of comparing two byte ranges the way the compare does (QEMU uses `memcmp`).
enum RangeComparison {
    case equal
    case differ(ByteDifference)
    /// A range lies outside its frame and the profile bounds-checks (C-11 emulator note).
    case outOfRange
}

enum ByteRangeComparison {
    /// Compares `length` bytes of `primary` from `primaryStart` with `secondary` from
    /// `secondaryStart`. When a range leaves its buffer: with `bounded`, the result is
    /// `.outOfRange`; without, the missing bytes read as zero — our deterministic stand-in for
    /// QEMU reading whatever follows the buffer.
    static func compare(
        _ primary: [UInt8], from primaryStart: Int,
        _ secondary: [UInt8], from secondaryStart: Int,
        length: Int, bounded: Bool
    ) -> RangeComparison {
        guard length > 0 else { return .equal }
        let inside = primary.contains(offset: primaryStart, length: length)
            && secondary.contains(offset: secondaryStart, length: length)
        if inside {
            let same = primary.withUnsafeBufferPointer { p in
                secondary.withUnsafeBufferPointer { s in
                    guard let p = p.baseAddress, let s = s.baseAddress else { return false }
                    return memcmp(p + primaryStart, s + secondaryStart, length) == 0
                }
            }
            if same { return .equal }
        } else if bounded {
            return .outOfRange
        }
        return firstDifference(primary, primaryStart, secondary, secondaryStart, length).map(RangeComparison.differ) ?? .equal
    }

    /// The first differing byte, reading out-of-range bytes as zero.
    static func firstDifference(_ primary: [UInt8], _ primaryStart: Int, _ secondary: [UInt8], _ secondaryStart: Int, _ length: Int) -> ByteDifference? {
        for index in 0..<length {
            let a = primary.byte(at: primaryStart + index)
            let b = secondary.byte(at: secondaryStart + index)
            if a != b {
                return ByteDifference(index: index, primaryFrameOffset: primaryStart + index,
                                      secondaryFrameOffset: secondaryStart + index, primaryByte: a, secondaryByte: b)
            }
        }
        return nil
    }
}
