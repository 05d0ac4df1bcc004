/// The run loop's priority queue: a binary min-heap of small keys ordered by (time, sequence),
/// each pointing at a slot that holds the event's label, action and optional timer.
///
/// The heap holds only 24-byte keys so the sift loops stay cheap. Payloads are moved into a slot
/// once and moved out once (no copies, so no reference-count traffic), and freed slots are
/// reused. Storage is manual because the array-based version spent most of each event in
/// uniqueness checks and outlined copies; every index used below is one this type produced.
/// Not copyable: a copy would share the storage.
struct EventQueue: ~Copyable {
    struct Key {
        var time: Int64
        var sequence: UInt64
        var slot: UInt32
        var hasTimer: Bool

        @inline(__always)
        func precedes(_ other: Key) -> Bool {
            time < other.time || (time == other.time && sequence < other.sequence)
        }
    }

    struct Payload {
        var label: EventLabel
        var action: EventAction
        var timer: TimerHandle?
    }

    struct Event {
        var key: Key
        var payload: Payload

        var time: Int64 { key.time }
        var sequence: UInt64 { key.sequence }
    }

    private var capacity: Int
    /// The heap, `count` keys.
    private var keys: UnsafeMutablePointer<Key>
    /// Payload slots `0..<slotCount` are initialized; those listed in `freeSlots` are unused.
    private var payloads: UnsafeMutablePointer<Payload?>
    private var slotCount = 0
    private var freeSlots: UnsafeMutablePointer<UInt32>
    private var freeCount = 0
    private(set) var count = 0

    init(capacity: Int = 64) {
        self.capacity = capacity
        keys = .allocate(capacity: capacity)
        payloads = .allocate(capacity: capacity)
        freeSlots = .allocate(capacity: capacity)
    }

    deinit {
        payloads.deinitialize(count: slotCount)
        payloads.deallocate()
        keys.deallocate()
        freeSlots.deallocate()
    }

    var isEmpty: Bool { count == 0 }
    var minKey: Key? { count > 0 ? keys[0] : nil }

    /// Whether the earliest event is a cancelled timer.
    var minIsCancelledTimer: Bool {
        guard count > 0, keys[0].hasTimer else { return false }
        return payloads[Int(keys[0].slot)]?.timer?.isCancelled == true
    }

    mutating func insert(time: Int64, sequence: UInt64, payload: consuming Payload) {
        let hasTimer = payload.timer != nil
        let slot: Int
        if freeCount > 0 {
            freeCount -= 1
            slot = Int(freeSlots[freeCount])
            payloads[slot] = consume payload
        } else {
            if slotCount == capacity { grow() }
            slot = slotCount
            (payloads + slot).initialize(to: consume payload)
            slotCount += 1
        }
        var hole = count
        count += 1
        let moving = Key(time: time, sequence: sequence, slot: UInt32(truncatingIfNeeded: slot), hasTimer: hasTimer)
        while hole > 0 {
            let parent = (hole - 1) / 2
            guard moving.precedes(keys[parent]) else { break }
            keys[hole] = keys[parent]
            hole = parent
        }
        keys[hole] = moving
    }

    mutating func popMin() -> Event? {
        guard count > 0 else { return nil }
        let top = keys[0]
        count -= 1
        let last = keys[count]
        var hole = 0
        while true {
            var child = 2 * hole + 1
            guard child < count else { break }
            if child + 1 < count && keys[child + 1].precedes(keys[child]) {
                child += 1
            }
            guard keys[child].precedes(last) else { break }
            keys[hole] = keys[child]
            hole = child
        }
        if count > 0 { keys[hole] = last }
        let slot = Int(top.slot)
        freeSlots[freeCount] = top.slot
        freeCount += 1
        guard let payload = payloads[slot].take() else { return nil }
        return Event(key: top, payload: payload)
    }

    /// Doubles every buffer. Slots are never more than capacity, and neither are keys (one per
    /// occupied slot) nor free slots.
    private mutating func grow() {
        let newCapacity = capacity * 2
        let newKeys = UnsafeMutablePointer<Key>.allocate(capacity: newCapacity)
        newKeys.moveInitialize(from: keys, count: count)
        keys.deallocate()
        keys = newKeys
        let newPayloads = UnsafeMutablePointer<Payload?>.allocate(capacity: newCapacity)
        newPayloads.moveInitialize(from: payloads, count: slotCount)
        payloads.deallocate()
        payloads = newPayloads
        let newFree = UnsafeMutablePointer<UInt32>.allocate(capacity: newCapacity)
        newFree.moveInitialize(from: freeSlots, count: freeCount)
        freeSlots.deallocate()
        freeSlots = newFree
        capacity = newCapacity
    }
}
