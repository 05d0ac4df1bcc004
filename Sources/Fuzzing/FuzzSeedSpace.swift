import Fabric

/// Maps a campaign's run indices to seeds, and slices the indices into shards.
///
/// Run `i` of base seed `b` uses the SplitMix64 output for `b + i`, so neighbouring runs get
/// unrelated streams and any run can be recomputed alone (shards, replays, merges).
public struct FuzzSeedSpace: Sendable, Hashable {
    public var baseSeed: UInt64
    /// Shard `k` of `n` (1-based `k`) takes the indices `i` with `i % n == k - 1`.
    public var shard: Int
    public var shardCount: Int

    public init(baseSeed: UInt64, shard: Int = 1, shardCount: Int = 1) {
        self.baseSeed = baseSeed
        self.shard = shard
        self.shardCount = shardCount
    }

    public func seed(ofIndex index: Int) -> UInt64 {
        var mixer = SplitMix64(seed: baseSeed &+ UInt64(index))
        return mixer.next()
    }

    /// This shard's indices among the first `runs` of the whole space.
    public func indices(runs: Int) -> [Int] {
        stride(from: shard - 1, to: runs, by: shardCount).map { $0 }
    }

    /// How many of this shard's indices lie in `0..<runs`.
    public func slotCount(runs: Int) -> Int {
        runs <= shard - 1 ? 0 : (runs - shard) / shardCount + 1
    }

    /// The index of this shard's `slot`-th run.
    public func index(ofSlot slot: Int) -> Int {
        shard - 1 + slot * shardCount
    }

    /// The smallest `runs` whose shard indices are exactly the first `slots` ones.
    public func runsCovering(slots: Int) -> Int {
        slots == 0 ? 0 : index(ofSlot: slots - 1) + 1
    }
}
