import Glibc
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
    /// `secondaryStart`. Ranges that leave their frame are handled per `pastFrame`.
    static func compare(
        _ primary: [UInt8], from primaryStart: Int,
        _ secondary: [UInt8], from secondaryStart: Int,
        length: Int, pastFrame: PastFrameReads
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
        } else if pastFrame == .boundsChecked {
            return .outOfRange
        }
        return firstDifference(primary, primaryStart, secondary, secondaryStart, length, pastFrame: pastFrame)
            .map(RangeComparison.differ) ?? .equal
    }

    /// The first differing byte, with bytes past a frame modelled per `pastFrame`.
    static func firstDifference(_ primary: [UInt8], _ primaryStart: Int, _ secondary: [UInt8], _ secondaryStart: Int,
                                _ length: Int, pastFrame: PastFrameReads) -> ByteDifference? {
        for index in 0..<length {
            let a = read(primary, primaryStart + index, pastFrame)
            let b = read(secondary, secondaryStart + index, pastFrame)
            if a == nil || b == nil || a != b {
                return ByteDifference(index: index, primaryFrameOffset: primaryStart + index,
                                      secondaryFrameOffset: secondaryStart + index, primaryByte: a, secondaryByte: b)
            }
        }
        return nil
    }

    /// A byte of the frame, or nil for a byte that compares unequal to anything.
    private static func read(_ bytes: [UInt8], _ offset: Int, _ pastFrame: PastFrameReads) -> UInt8? {
        if offset >= 0, offset < bytes.count { return bytes[offset] }
        if pastFrame == .freshHeap, offset >= 0, offset < mallocUsableSize(bytes.count) { return 0 }
        return nil
    }

    /// glibc's usable size of `malloc(n)` on 64-bit: chunks are 16-byte aligned with an 8-byte
    /// header, at least 32 bytes. (QEMU copies each packet with g_memdup.)
    static func mallocUsableSize(_ n: Int) -> Int {
        max(32, (n + 8 + 15) & ~15) - 8
    }
}
