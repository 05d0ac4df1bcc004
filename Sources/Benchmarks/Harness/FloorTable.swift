import Fabric

/// An open-addressing key → slot table with a multiply-xorshift hash, as lean as a connection
/// lookup gets: the floor's "one table lookup".
struct FloorTable {
    private var keys = [ConnectionKey?](repeating: nil, count: 256)
    private var used = 0

    mutating func slot(for key: ConnectionKey) -> Int {
        let words = UInt64(key.addressA.value) << 32 | UInt64(key.addressB.value)
        var h = (words ^ (UInt64(key.portWord) << 8 | UInt64(key.ipProtocol))) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        var slot = Int(truncatingIfNeeded: h) & (keys.count - 1)
        while let stored = keys[slot] {
            if stored == key { return slot }
            slot = (slot + 1) & (keys.count - 1)
        }
        if used < keys.count / 2 {
            keys[slot] = key
            used += 1
        }
        return slot
    }
}
