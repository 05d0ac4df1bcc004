import Fabric

/// Which of an application's connections a run must look at: those that have work whatever the
/// events (output left over), those whose own timer is due, and those whose socket had an event.
/// With it a run costs the events it handles, not a pass over every connection (which dominated
/// runs with a hundred connections), and the earliest timer is known without a scan.
///
/// The maps are only ever looked up, never iterated, so their order cannot reach a decision.
struct AttentionList: Sendable {
    /// Connection indices that need a look whatever the events, ascending.
    private var indices: [Int] = []
    /// Connection timers, ascending by time then index.
    private var timers: [Timer] = []
    private var timerOfIndex: [Int: VirtualTime] = [:]
    private var indexOfHandle: [SocketHandle: Int] = [:]

    private struct Timer: Sendable {
        var time: VirtualTime
        var index: Int

        func precedes(_ other: Timer) -> Bool {
            time < other.time || (time == other.time && index < other.index)
        }
    }

    /// The earliest timer of any connection.
    var earliestTimer: VirtualTime? { timers.first?.time }

    mutating func register(_ handle: SocketHandle, index: Int) {
        indexOfHandle[handle] = index
    }

    /// Records what connection `index` now needs: a look on every run (`always`), a look once
    /// `timer` has come, or neither.
    mutating func set(_ index: Int, always: Bool, timer: VirtualTime?) {
        let position = Self.insertionPoint(of: index, in: indices)
        let present = position < indices.count && indices[position] == index
        if always && !present {
            indices.insert(index, at: position)
        } else if !always && present {
            indices.remove(at: position)
        }
        let old = timerOfIndex[index]
        guard old != timer else { return }
        if let old {
            timers.remove(at: timerPosition(Timer(time: old, index: index)))
        }
        if let timer {
            let entry = Timer(time: timer, index: index)
            timers.insert(entry, at: timerPosition(entry))
        }
        timerOfIndex[index] = timer
    }

    /// The connections a run at `now` considers, ascending and without repeats: those always
    /// needing a look, those whose timer is due, those whose socket is in `events`, and `extra`.
    func candidates(events: [SocketHandle], now: VirtualTime, adding extra: Range<Int>) -> [Int] {
        var result = indices
        for timer in timers {
            guard timer.time <= now else { break }
            result.append(timer.index)
        }
        for handle in events {
            if let index = indexOfHandle[handle] { result.append(index) }
        }
        result.append(contentsOf: extra)
        guard result.count > indices.count else { return result }
        result.sort()
        var unique = 0
        for position in result.indices where position == 0 || result[position] != result[unique - 1] {
            result[unique] = result[position]
            unique += 1
        }
        result.removeLast(result.count - unique)
        return result
    }

    private func timerPosition(_ entry: Timer) -> Int {
        var low = 0
        var high = timers.count
        while low < high {
            let middle = (low + high) / 2
            if timers[middle].precedes(entry) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static func insertionPoint(of index: Int, in sorted: [Int]) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < index { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
