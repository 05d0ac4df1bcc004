import Fabric

/// The compare's connection table (P-5): connection key → position in the connection list.
///
/// An open-addressing table with a fixed mixing hash rather than `Dictionary`: lookups are on
/// the per-packet path, and a specialised table with a cheap hash is several times faster than
/// Swift's seeded SipHash. Nothing ever iterates it, so its layout cannot reach decisions. The
/// size rule is QEMU's: a new key arriving when the table holds more than `resetThreshold`
/// entries clears it first.
struct ConnectionIndex {
    let resetThreshold: Int
    private var keys: [ConnectionKey]
    /// Slot contents: position in the connection list, or -1 when empty.
    private var values: [Int32]
    private var mask: Int
    private(set) var count = 0
    /// The last key looked up and its position: consecutive packets mostly share a connection
    /// (a pair's two sides, a TCP stream), so this skips the hash and probe. Positions never
    /// move while the table lives; `removeAll` forgets it.
    private var recentKey = ConnectionKey(addressA: IPv4Address(0), addressB: IPv4Address(0), portWord: 0, ipProtocol: 0)
    private var recentPosition = -1

    init(resetThreshold: Int) {
        self.resetThreshold = resetThreshold
        keys = []
        values = []
        mask = 0
        allocate(capacity: 64)
    }

    /// The position of `key`, inserting `next` for a new key. `didReset` tells the caller the
    /// table was cleared first, so it must destroy its connection list.
    @inline(__always)
    mutating func lookupOrInsert(_ key: ConnectionKey, next: Int) -> (position: Int, didReset: Bool) {
        if recentPosition >= 0, ConnectionKey.sameFields(recentKey, key) { return (recentPosition, false) }
        return probeOrInsert(key, next: next)
    }

    private mutating func probeOrInsert(_ key: ConnectionKey, next: Int) -> (position: Int, didReset: Bool) {
        var slot = ConnectionKey.probeHash(key) & mask
        while values[slot] >= 0 {
            if ConnectionKey.sameFields(keys[slot], key) {
                remember(key, at: Int(values[slot]))
                return (recentPosition, false)
            }
            slot = (slot + 1) & mask
        }
        if count > resetThreshold {
            removeAll()
            insertNew(key, value: 0)
            remember(key, at: 0)
            return (0, true)
        }
        remember(key, at: next)
        if (count + 1) * 2 > values.count {
            grow()
            insertNew(key, value: next)
        } else {
            keys[slot] = key
            values[slot] = Int32(truncatingIfNeeded: next)
            count += 1
        }
        return (next, false)
    }

    mutating func removeAll() {
        count = 0
        recentPosition = -1
        allocate(capacity: 64)
    }

    @inline(__always)
    private mutating func remember(_ key: ConnectionKey, at position: Int) {
        recentKey = key
        recentPosition = position
    }

    private mutating func insertNew(_ key: ConnectionKey, value: Int) {
        var slot = ConnectionKey.probeHash(key) & mask
        while values[slot] >= 0 { slot = (slot + 1) & mask }
        keys[slot] = key
        values[slot] = Int32(truncatingIfNeeded: value)
        count += 1
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        allocate(capacity: values.count * 2)
        count = 0
        for slot in oldValues.indices where oldValues[slot] >= 0 {
            insertNew(oldKeys[slot], value: Int(oldValues[slot]))
        }
    }

    private mutating func allocate(capacity: Int) {
        keys = Array(repeating: ConnectionKey(addressA: IPv4Address(0), addressB: IPv4Address(0), portWord: 0, ipProtocol: 0), count: capacity)
        values = Array(repeating: -1, count: capacity)
        mask = capacity - 1
    }
}
