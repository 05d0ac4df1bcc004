import Fabric

/// Open addressing with linear probing from a connection key to the position of its entry in
/// the rewriter table's dense arrays. Holds positions only; the keys stay in the table's array,
/// which every method is handed. Never iterated, so its layout cannot reach a decision.
struct RewriterKeySlots: Sendable {
    /// Entry position per slot, -1 when empty. At most half full, so probes stay short.
    private var slots = [Int32](repeating: -1, count: RewriterKeySlots.initialCapacity)
    private var mask = RewriterKeySlots.initialCapacity - 1
    private static let initialCapacity = 64

    /// The position of `key`'s entry, if any.
    @inline(__always)
    func find(_ key: ConnectionKey, in keys: [ConnectionKey]) -> Int? {
        var slot = ConnectionKey.probeHash(key) & mask
        while true {
            let position = slots[slot]
            if position < 0 { return nil }
            if ConnectionKey.sameFields(keys[Int(position)], key) { return Int(position) }
            slot = (slot + 1) & mask
        }
    }

    /// Records the entry at `position` (its key is `keys[position]`, not yet recorded).
    mutating func insert(position: Int, of keys: [ConnectionKey]) {
        if keys.count * 2 > slots.count {
            slots = [Int32](repeating: -1, count: slots.count * 2)
            mask = slots.count - 1
            for index in keys.indices { place(index, keys[index]) }
        } else {
            place(position, keys[position])
        }
    }

    private mutating func place(_ position: Int, _ key: ConnectionKey) {
        var slot = ConnectionKey.probeHash(key) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(truncatingIfNeeded: position)
    }

    /// Forgets the entry at `position`, shifting later members of its probe run back so that no
    /// run is broken (linear probing's deletion without tombstones).
    mutating func remove(position: Int, of keys: [ConnectionKey]) {
        var hole = slot(of: position, keys[position])
        var next = (hole + 1) & mask
        while slots[next] >= 0 {
            let home = ConnectionKey.probeHash(keys[Int(slots[next])]) & mask
            // The entry at `next` may fill the hole when the hole lies on its probe path,
            // that is between its home slot and `next` (cyclically).
            if (next &- home) & mask >= (next &- hole) & mask {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = -1
    }

    /// The entry at `old` moves to `new` in the dense arrays.
    mutating func move(from old: Int, to new: Int, of keys: [ConnectionKey]) {
        slots[slot(of: old, keys[old])] = Int32(truncatingIfNeeded: new)
    }

    mutating func removeAll() {
        slots = [Int32](repeating: -1, count: Self.initialCapacity)
        mask = Self.initialCapacity - 1
    }

    /// The slot holding `position`, whose key is `key`.
    private func slot(of position: Int, _ key: ConnectionKey) -> Int {
        var slot = ConnectionKey.probeHash(key) & mask
        while slots[slot] != Int32(truncatingIfNeeded: position) {
            precondition(slots[slot] >= 0, "an entry's position is recorded")
            slot = (slot + 1) & mask
        }
        return slot
    }
}
