/// 64-bit FNV-1a (Fowler, Noll, Vo): for each byte, xor it in, then multiply by the FNV prime.
///
/// Used for trace hashes and label hashes because, unlike Swift's `Hasher`, it is not seeded
/// per process: the same trace hashes the same in every run and on every machine.
public struct FNV1a64: Sendable, Hashable {
    public static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    public static let prime: UInt64 = 0x0000_0100_0000_01B3

    public private(set) var value: UInt64 = FNV1a64.offsetBasis

    public init() {}

    public mutating func combine(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* FNV1a64.prime
    }

    /// Folds the eight bytes of `word`, least significant first.
    public mutating func combine(_ word: UInt64) {
        var hash = value
        var remaining = word
        for _ in 0..<8 {
            hash = (hash ^ (remaining & 0xFF)) &* FNV1a64.prime
            remaining >>= 8
        }
        value = hash
    }

    public mutating func combine(_ text: String) {
        for byte in text.utf8 {
            combine(byte: byte)
        }
    }

    public static func hash(_ text: String) -> UInt64 {
        var hasher = FNV1a64()
        hasher.combine(text)
        return hasher.value
    }
}

extension FNV1a64 {
    /// Resumes hashing from an earlier `value`, so a running hash can be stored as a bare word.
    public init(continuing value: UInt64) {
        self.value = value
    }
}
