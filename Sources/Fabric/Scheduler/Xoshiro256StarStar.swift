/// xoshiro256** 1.0 (Blackman and Vigna, 2018), the simulation's only source of randomness.
///
/// State: four 64-bit words, filled from a 64-bit seed by four successive ``SplitMix64`` outputs.
/// Output: rotl(s1 × 5, 7) × 9; then the state advances by the generator's fixed xor/shift/rotate
/// step. The algorithm is fixed here (known-answer tests pin its first outputs), so a seed means
/// the same run on every machine and toolchain. The system generator is never used, and this type
/// deliberately does not conform to `RandomNumberGenerator`: the standard library's
/// `random(in:using:)` reduction is not guaranteed stable across releases, so bounded draws go
/// through ``next(upTo:)`` instead.
public struct Xoshiro256StarStar: Sendable {
    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var expander = SplitMix64(seed: seed)
        state = (expander.next(), expander.next(), expander.next(), expander.next())
    }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    /// A uniform draw in `0...bound`, by Lemire's multiply-and-reject method ("Fast random integer
    /// generation in an interval", 2019): the high word of `x × (bound + 1)` is the answer unless
    /// the low word falls in the small biased zone, in which case we draw again.
    public mutating func next(upTo bound: UInt64) -> UInt64 {
        if bound == UInt64.max { return next() }
        let range = bound + 1
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return product.high
    }

    private func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }
}
