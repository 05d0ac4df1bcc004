/// TCP sequence-space comparisons (modulo 2^32, RFC 793 §3.3): `a` is before `b` when the
/// 32-bit difference read as signed is negative.
enum Seq {
    @inline(__always) static func lt(_ a: UInt32, _ b: UInt32) -> Bool { Int32(bitPattern: a &- b) < 0 }
    @inline(__always) static func leq(_ a: UInt32, _ b: UInt32) -> Bool { Int32(bitPattern: a &- b) <= 0 }
    @inline(__always) static func gt(_ a: UInt32, _ b: UInt32) -> Bool { Int32(bitPattern: a &- b) > 0 }
    @inline(__always) static func geq(_ a: UInt32, _ b: UInt32) -> Bool { Int32(bitPattern: a &- b) >= 0 }
    /// Distance from `from` forward to `to`; callers ensure `to` is not before `from`.
    @inline(__always) static func distance(_ from: UInt32, _ to: UInt32) -> Int { Int(to &- from) }
    @inline(__always) static func max(_ a: UInt32, _ b: UInt32) -> UInt32 { gt(a, b) ? a : b }
}
