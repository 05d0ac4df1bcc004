import Fabric

/// The rewriter's connection table with QEMU's size rule (P-5): when a *new* key arrives and
/// the table already holds more than `resetThreshold` entries, the whole table is cleared first.
///
/// The same rule as Fabric's `ConnectionTable`, specialised to the rewriter's entry so that the
/// hot path hashes the key once and updates the entry in place (the generic table's methods
/// cannot be specialised from this module). Iteration over the storage happens only where the
/// order cannot matter (resetting every offset, counting) or after sorting the keys.
public struct RewriterConnectionTable: Sendable {
    public static var defaultResetThreshold: Int { ConnectionTable<RewriterConnection>.defaultResetThreshold }

    public let resetThreshold: Int
    public private(set) var resetCount = 0
    private var storage: [TableKey: RewriterConnection] = [:]
    /// The last key located and where its entry is. A connection's frames come in runs (both
    /// directions share one key), so the next frame of the same connection skips hashing the
    /// key and probing. Forgotten whenever an entry is added or removed (that may move entries
    /// and invalidates indices); updating an entry's value in place keeps it valid.
    private var recent: (key: ConnectionKey, index: Index)?

    public init(resetThreshold: Int = RewriterConnectionTable.defaultResetThreshold) {
        self.resetThreshold = resetThreshold
    }

    public typealias Index = Dictionary<TableKey, RewriterConnection>.Index

    /// The connection key with a cheaper hash: two 64-bit words instead of four fields.
    public struct TableKey: Hashable, Sendable {
        public let key: ConnectionKey

        init(_ key: ConnectionKey) { self.key = key }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(UInt64(key.addressA.value) << 32 | UInt64(key.addressB.value))
            hasher.combine(UInt64(key.portWord) << 8 | UInt64(key.ipProtocol))
        }
    }

    public var count: Int { storage.count }

    public subscript(key: ConnectionKey) -> RewriterConnection? {
        get { storage[TableKey(key)] }
        set {
            recent = nil
            storage[TableKey(key)] = newValue
        }
    }

    /// Entries in key order: a stable order for reports and tests.
    public var sortedEntries: [(key: ConnectionKey, value: RewriterConnection)] {
        storage.sorted { $0.key.key < $1.key.key }.map { ($0.key.key, $0.value) }
    }

    /// Where an entry is, whether `locate` created it, and how many entries a reset dropped
    /// to make room for it (nil when there was no reset).
    struct Location {
        var index: Index
        var created: Bool
        var droppedByReset: Int?
    }

    /// Looks the key up, creating a fresh entry when absent (P-5, P-6).
    mutating func locate(_ connectionKey: ConnectionKey) -> Location {
        if let recent, Self.same(recent.key, connectionKey) { return Location(index: recent.index, created: false) }
        let key = TableKey(connectionKey)
        if let index = storage.index(forKey: key) {
            recent = (connectionKey, index)
            return Location(index: index, created: false)
        }
        var dropped: Int?
        if storage.count > resetThreshold {
            dropped = storage.count
            storage.removeAll(keepingCapacity: true)
            resetCount += 1
        }
        storage[key] = RewriterConnection()
        // The insertion invalidated earlier indices; look the new entry up once more.
        guard let index = storage.index(forKey: key) else { preconditionFailure("entry just inserted") }
        recent = (connectionKey, index)
        return Location(index: index, created: true, droppedByReset: dropped)
    }

    /// Field-wise key equality, inlined (the synthesized `==` lives in another module).
    @inline(__always)
    private static func same(_ a: ConnectionKey, _ b: ConnectionKey) -> Bool {
        a.addressA.value == b.addressA.value && a.addressB.value == b.addressB.value
            && a.portWord == b.portWord && a.ipProtocol == b.ipProtocol
    }

    func value(at index: Index) -> RewriterConnection { storage.values[index] }

    /// Replaces an entry's value in place: entries do not move, so `recent` stays valid.
    mutating func setValue(_ value: RewriterConnection, at index: Index) { storage.values[index] = value }

    mutating func remove(at index: Index) {
        recent = nil
        storage.remove(at: index)
    }

    /// Applies `body` to every entry in place. The order is the dictionary's, so `body` must treat
    /// every entry alike and its results must not depend on order (RW-15 resets, counts).
    mutating func updateEveryEntry(_ body: (inout RewriterConnection) -> Void) {
        var index = storage.values.startIndex
        while index != storage.values.endIndex {
            body(&storage.values[index])
            storage.values.formIndex(after: &index)
        }
    }

    /// How many entries satisfy `predicate` (order-independent).
    func countEntries(where predicate: (RewriterConnection) -> Bool) -> Int {
        storage.values.reduce(0) { $0 + (predicate($1) ? 1 : 0) }
    }
}
