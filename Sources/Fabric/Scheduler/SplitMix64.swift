/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014):
/// a 64-bit counter advanced by the golden-ratio increment 0x9E3779B97F4A7C15, each output being
/// the counter passed through a fixed xor-shift-multiply finaliser.
///
/// We use it only to expand one 64-bit seed into the 256-bit state of ``Xoshiro256StarStar``,
/// as that generator's authors recommend: consecutive seeds then give unrelated streams.
public struct SplitMix64: Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
