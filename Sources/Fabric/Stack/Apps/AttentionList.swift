/// Which of an application's connections a run must look at: those that may have work without
/// a socket event (a timer of their own, output left over), and the way from a socket with an
/// event back to its connection. With it a run costs the events it handles, not a pass over
/// every connection (which dominated runs with a hundred connections).
///
/// The handle map is only ever looked up, never iterated, so its order cannot reach a decision.
struct AttentionList: Sendable {
    /// Connection indices that need a look whatever the events, ascending.
    private(set) var indices: [Int] = []
    private var indexOfHandle: [SocketHandle: Int] = [:]

    mutating func register(_ handle: SocketHandle, index: Int) {
        indexOfHandle[handle] = index
    }

    mutating func set(_ index: Int, needsAttention: Bool) {
        let position = insertionPoint(of: index)
        let present = position < indices.count && indices[position] == index
        if needsAttention && !present {
            indices.insert(index, at: position)
        } else if !needsAttention && present {
            indices.remove(at: position)
        }
    }

    /// The connections a run considers, ascending and without repeats: those needing attention,
    /// those whose socket is in `events`, and `extra`.
    func candidates(events: [SocketHandle], adding extra: Range<Int>) -> [Int] {
        var result = indices
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

    private func insertionPoint(of index: Int) -> Int {
        var low = 0
        var high = indices.count
        while low < high {
            let middle = (low + high) / 2
            if indices[middle] < index { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
