/// Shard K of N (1-based K): the work items at positions `p` with `p % N == K - 1`. `--shard K/N`
/// of `lockstep fuzz` (run indices) and `lockstep sweep-failover` (failover points) slice their
/// work this way, so that N machines — the pods of a Kubernetes Indexed Job — share it and a merge
/// puts the one-machine result back together.
public struct ShardSlice: Sendable, Hashable, Codable, CustomStringConvertible {
    /// K, from 1.
    public var index: Int
    /// N, at least 1.
    public var count: Int

    /// The whole of the work: shard 1 of 1.
    public static let whole = ShardSlice(index: 1, count: 1)

    public enum ParseError: Error, CustomStringConvertible {
        case malformed(String)

        public var description: String {
            switch self {
            case .malformed(let text): "'\(text)' is not a shard: give K/N with 1 <= K <= N, e.g. 2/4"
            }
        }
    }

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Reads `K/N`.
    public init(parsing text: String) throws(ParseError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 2, let index = parts[0], let count = parts[1], count >= 1, (1...count).contains(index) else {
            throw .malformed(text)
        }
        self.init(index: index, count: count)
    }

    public var isWhole: Bool { count == 1 }

    /// This shard's positions among `total` items, ascending.
    public func positions(among total: Int) -> [Int] {
        Array(stride(from: index - 1, to: total, by: count))
    }

    public var description: String { "\(index)/\(count)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension ShardSlice {
    /// Checks that `shards` are each shard of one split exactly once; says which is missing or
    /// given twice otherwise.
    public static func completeness(of shards: [ShardSlice]) -> String? {
        guard let count = shards.first?.count else { return "no shards" }
        if let other = shards.first(where: { $0.count != count }) { return "shards of \(count) and of \(other.count) are mixed" }
        var seen = Set<Int>()
        for shard in shards where !seen.insert(shard.index).inserted { return "shard \(shard) is given twice" }
        let missing = (1...count).filter { !seen.contains($0) }
        guard missing.isEmpty else { return "shard(s) " + missing.map { "\($0)/\(count)" }.joined(separator: ", ") + " missing" }
        return nil
    }
}
