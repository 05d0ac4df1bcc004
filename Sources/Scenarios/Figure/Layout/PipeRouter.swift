/// Finds an orthogonal path for a pipe on a canvas: around boxes and text, across (never along)
/// other lines and frames, with few bends. A Dijkstra search over (cell, heading) states with a
/// fixed neighbour order and a (cost, sequence) tie-break, so the same canvas always yields the
/// same path.
struct PipeRouter {
    struct Costs {
        var step = 2
        var bend = 9
        var crossLine = 14
        var crossFrame = 2
        /// Running right next to a box makes the figure hard to read.
        var hugBox = 3
        /// Heading straight at another line: in ASCII the two would read as joined (`-+` or
        /// `+` over `+`).
        var touchLine = 16
        /// Running alongside a parallel line.
        var besideLine = 2
    }

    let canvas: CharacterCanvas
    var costs = Costs()

    init(canvas: CharacterCanvas) {
        self.canvas = canvas
    }

    /// Cells from `start` to `end` inclusive. The path leaves `start` heading `startHeading`
    /// and enters `end` heading `endHeading`; nil when no path exists.
    func route(
        from start: GridPoint,
        heading startHeading: GridDirection,
        to end: GridPoint,
        arriving endHeading: GridDirection
    ) -> [GridPoint]? {
        guard canvas.contains(start), canvas.contains(end), isFree(start), isFree(end) else { return nil }
        if start == end { return startHeading == endHeading ? [start] : nil }
        let width = canvas.width
        let stateCount = width * canvas.height * 4
        var best = [Int](repeating: Int.max, count: stateCount)
        var parent = [Int](repeating: -1, count: stateCount)
        func state(_ point: GridPoint, _ heading: GridDirection) -> Int {
            (point.y * width + point.x) * 4 + heading.rawValue
        }
        func point(of state: Int) -> GridPoint {
            let cell = state / 4
            return GridPoint(x: cell % width, y: cell / width)
        }
        var queue = MinQueue()
        let first = state(start, startHeading)
        best[first] = 0
        queue.push(cost: 0, state: first)
        while let (cost, current) = queue.pop() {
            guard cost == best[current] else { continue }
            let here = point(of: current)
            guard let heading = GridDirection(rawValue: current % 4) else { continue }
            if here == end && heading == endHeading {
                var path: [GridPoint] = []
                var walk = current
                while walk != -1 {
                    path.append(point(of: walk))
                    walk = parent[walk]
                }
                return path.reversed()
            }
            for next in GridDirection.allCases where next != heading.opposite {
                let turning = next != heading
                if turning && (here == start || !isFree(here)) { continue }
                let target = here.moved(next)
                guard let enterCost = self.enterCost(target, heading: next, end: end, endHeading: endHeading) else { continue }
                let total = cost + enterCost + (turning ? costs.bend : 0)
                let nextState = state(target, next)
                if total < best[nextState] {
                    best[nextState] = total
                    parent[nextState] = current
                    queue.push(cost: total, state: nextState)
                }
            }
        }
        return nil
    }

    private func isFree(_ point: GridPoint) -> Bool {
        !canvas.isSolid(point) && canvas.mark(at: point) == nil
            && canvas.lineArms(at: point).isEmpty && canvas.frameArms(at: point).isEmpty
    }

    /// The cost of stepping into `point` while heading `heading`, or nil if that is not allowed.
    private func enterCost(_ point: GridPoint, heading: GridDirection, end: GridPoint, endHeading: GridDirection) -> Int? {
        guard canvas.contains(point), !canvas.isSolid(point), canvas.mark(at: point) == nil else { return nil }
        if point == end {
            return heading == endHeading && isFree(point) ? costs.step : nil
        }
        var cost = costs.step
        let lines = canvas.lineArms(at: point)
        if !lines.isEmpty {
            // Only straight across a perpendicular line; the search forbids turning here.
            guard lines.isStraight(along: heading.isHorizontal ? .up : .left) else { return nil }
            cost += costs.crossLine
        }
        let frame = canvas.frameArms(at: point)
        if !frame.isEmpty {
            guard frame.isStraight(along: heading.isHorizontal ? .up : .left) else { return nil }
            cost += costs.crossFrame
        }
        if GridDirection.allCases.contains(where: { canvas.isSolid(point.moved($0)) && canvas.contains(point.moved($0)) }) {
            cost += costs.hugBox
        }
        let ahead = point.moved(heading)
        if ahead != end, !canvas.lineArms(at: ahead).isEmpty {
            cost += costs.touchLine
        }
        let sides: [GridDirection] = heading.isHorizontal ? [.up, .down] : [.left, .right]
        for side in sides where !canvas.lineArms(at: point.moved(side)).isEmpty {
            cost += costs.besideLine
        }
        return cost
    }
}

/// A binary heap of (cost, state) ordered by cost, then by insertion order.
private struct MinQueue {
    private var heap: [(cost: Int, sequence: Int, state: Int)] = []
    private var sequence = 0

    mutating func push(cost: Int, state: Int) {
        heap.append((cost, sequence, state))
        sequence += 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(child, parent) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (Int, Int)? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < heap.count && less(left, smallest) { smallest = left }
                if right < heap.count && less(right, smallest) { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return (top.cost, top.state)
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        (heap[a].cost, heap[a].sequence) < (heap[b].cost, heap[b].sequence)
    }
}
