import Fabric

/// The rewriter's connection table with QEMU's size rule (P-5): when a *new* key arrives and
/// the table already holds more than `resetThreshold` entries, the whole table is cleared first.
///
/// The same rule as Fabric's `ConnectionTable`, specialised to the rewriter's entry: entries
/// sit in two dense arrays and `RewriterKeySlots` finds a key's position with a cheap fixed hash
/// (Swift's seeded `Hasher` cost more than the rest of the lookup). Iteration over the entries
/// happens only where the order cannot matter (resetting every offset, counting) or after
/// sorting the keys, so the slots' layout never reaches a decision or an output.
public struct RewriterConnectionTable: Sendable {
    public static var defaultResetThreshold: Int { ConnectionTable<RewriterConnection>.defaultResetThreshold }

    public let resetThreshold: Int
    public private(set) var resetCount = 0
    /// The entries, `keys[i]` with `values[i]`, in no meaningful order.
    private var keys: [ConnectionKey] = []
    private var values: [RewriterConnection] = []
    private var slots = RewriterKeySlots()
    /// The last key located and where its entry is. A connection's frames come in runs (both
    /// directions share one key), so the next frame of the same connection skips the probe.
    /// Forgotten whenever an entry is removed (the last entry moves into its place) or the
    /// table is cleared; adding an entry or updating a value moves nothing.
    private var recent: (key: ConnectionKey, index: Index)?

    public init(resetThreshold: Int = RewriterConnectionTable.defaultResetThreshold) {
        self.resetThreshold = resetThreshold
    }

    /// Position of an entry; valid until an entry is removed or the table is cleared.
    public typealias Index = Int

    public var count: Int { keys.count }

    public subscript(key: ConnectionKey) -> RewriterConnection? {
        get { slots.find(key, in: keys).map { values[$0] } }
        set {
            if let index = slots.find(key, in: keys) {
                if let newValue { values[index] = newValue } else { remove(at: index) }
            } else if let newValue {
                append(key, newValue)
            }
        }
    }

    /// Entries in key order: a stable order for reports and tests.
    public var sortedEntries: [(key: ConnectionKey, value: RewriterConnection)] {
        zip(keys, values).sorted { $0.0 < $1.0 }.map { ($0.0, $0.1) }
    }

    /// Where an entry is, whether `locate` created it, and how many entries a reset dropped
    /// to make room for it (nil when there was no reset).
    struct Location {
        var index: Index
        var created: Bool
        var droppedByReset: Int?
    }

    /// Looks the key up, creating a fresh entry when absent (P-5, P-6).
    mutating func locate(_ key: ConnectionKey) -> Location {
        if let recent, ConnectionKey.sameFields(recent.key, key) { return Location(index: recent.index, created: false) }
        if let index = slots.find(key, in: keys) {
            recent = (key, index)
            return Location(index: index, created: false)
        }
        var dropped: Int?
        if keys.count > resetThreshold {
            dropped = keys.count
            keys.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
            slots.removeAll()
            recent = nil
            resetCount += 1
        }
        let index = append(key, RewriterConnection())
        recent = (key, index)
        return Location(index: index, created: true, droppedByReset: dropped)
    }

    @discardableResult
    private mutating func append(_ key: ConnectionKey, _ value: RewriterConnection) -> Index {
        keys.append(key)
        values.append(value)
        slots.insert(position: keys.count - 1, of: keys)
        return keys.count - 1
    }

    func value(at index: Index) -> RewriterConnection { values[index] }

    /// Replaces an entry's value in place: entries do not move, so `recent` stays valid.
    mutating func setValue(_ value: RewriterConnection, at index: Index) { values[index] = value }

    /// Removes an entry; the last entry takes its place.
    mutating func remove(at index: Index) {
        recent = nil
        slots.remove(position: index, of: keys)
        let last = keys.count - 1
        if index != last {
            slots.move(from: last, to: index, of: keys)
            keys.swapAt(index, last)
            values.swapAt(index, last)
        }
        keys.removeLast()
        values.removeLast()
    }

    /// Applies `body` to every entry in place. The order is the storage's, so `body` must treat
    /// every entry alike and its results must not depend on order (RW-15 resets, counts).
    mutating func updateEveryEntry(_ body: (inout RewriterConnection) -> Void) {
        for index in values.indices { body(&values[index]) }
    }

    /// How many entries satisfy `predicate` (order-independent).
    func countEntries(where predicate: (RewriterConnection) -> Bool) -> Int {
        values.reduce(0) { $0 + (predicate($1) ? 1 : 0) }
    }
}
