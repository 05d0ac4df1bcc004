import Fabric

/// Seeded draws for generated cases, on Fabric's SplitMix64: the same seed always yields the
/// same case, on every machine and Swift version.
public struct CaseRandom: Sendable {
    private var generator: SplitMix64

    public init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    public mutating func next() -> UInt64 { generator.next() }

    /// Uniform enough in 0..<bound; the standard library's unspecified algorithms are avoided.
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(next() % UInt64(bound))
    }

    public mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    public mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}
