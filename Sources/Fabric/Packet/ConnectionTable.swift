/// A connection-tracking table with QEMU's size rule (P-5, P-6).
///
/// When a *new* key arrives and the table already holds more than `resetThreshold` entries,
/// the whole table is cleared first. The caller learns about the reset through the returned
/// flag so it can destroy what it tracks elsewhere (the compare's connection list, P-5).
/// Lookups never iterate the dictionary, so hashing order cannot leak into behaviour.
public struct ConnectionTable<Value>: Sendable where Value: Sendable {
    /// QEMU's HASHTABLE_MAX_SIZE: the table is reset when it holds *more* than this.
    public static var defaultResetThreshold: Int { 16_384 }

    public private(set) var entries: [ConnectionKey: Value] = [:]
    public let resetThreshold: Int
    /// How many times the table was cleared by the size rule.
    public private(set) var resetCount = 0

    public init(resetThreshold: Int = ConnectionTable.defaultResetThreshold) {
        self.resetThreshold = resetThreshold
    }

    public var count: Int { entries.count }

    public subscript(key: ConnectionKey) -> Value? {
        get { entries[key] }
        set { entries[key] = newValue }
    }

    /// Looks the key up, creating its entry with `make` when absent (P-5).
    /// Returns whether the table was cleared to make room.
    public mutating func lookupOrCreate(_ key: ConnectionKey, make: () -> Value) -> (value: Value, didReset: Bool) {
        if let existing = entries[key] { return (existing, false) }
        var didReset = false
        if entries.count > resetThreshold {
            entries.removeAll(keepingCapacity: true)
            resetCount += 1
            didReset = true
        }
        let value = make()
        entries[key] = value
        return (value, didReset)
    }

    @discardableResult
    public mutating func remove(_ key: ConnectionKey) -> Value? {
        entries.removeValue(forKey: key)
    }

    /// Applies `body` to every value in place. Order is unspecified, so `body` must not have
    /// effects that depend on it (resetting offsets at a checkpoint, say).
    public mutating func updateAll(_ body: (inout Value) -> Void) {
        for key in entries.keys.sorted() { body(&entries[key]!) }
    }

    /// Entries in key order: a stable order for reports and tests.
    public var sortedEntries: [(key: ConnectionKey, value: Value)] {
        entries.keys.sorted().map { ($0, entries[$0]!) }
    }
}
