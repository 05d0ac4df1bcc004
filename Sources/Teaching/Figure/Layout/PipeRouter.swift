/// Finds an orthogonal path for a pipe on a canvas: around boxes and text, across (never along)
/// other lines and frames, with few bends. An A* search over (cell, heading) states with a
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

    /// What the search needs to know of one cell, computed once per route.
    private struct Cell {
        /// No box, text, line or frame: a path may turn here.
        var free = false
        /// A path may pass moving left/right (resp. up/down), at `crossCost`.
        var passHorizontally = false
        var passVertically = false
        var crossCost = 0
        var hasLine = false
        var nearSolid = false
    }

    let width: Int
    let height: Int
    let costs: Costs
    private var cells: [Cell]

    init(canvas: CharacterCanvas, costs: Costs = Costs()) {
        width = canvas.width
        height = canvas.height
        self.costs = costs
        cells = [Cell](repeating: Cell(), count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                refresh(GridPoint(x: x, y: y), from: canvas)
            }
        }
    }

    /// Re-reads the cells a newly drawn path may have changed: its own and their neighbours.
    mutating func update(around path: [GridPoint], from canvas: CharacterCanvas) {
        for point in path {
            refresh(point, from: canvas)
            for direction in GridDirection.allCases {
                refresh(point.moved(direction), from: canvas)
            }
        }
    }

    private mutating func refresh(_ point: GridPoint, from canvas: CharacterCanvas) {
        guard contains(point) else { return }
        var cell = Cell()
        let lines = canvas.lineArms(at: point)
        let frame = canvas.frameArms(at: point)
        cell.hasLine = !lines.isEmpty
        cell.nearSolid = GridDirection.allCases.contains { direction in
            let next = point.moved(direction)
            return canvas.contains(next) && canvas.isSolid(next)
        }
        if !canvas.isSolid(point) && canvas.mark(at: point) == nil {
            cell.free = lines.isEmpty && frame.isEmpty
            // Crossing is allowed only straight over a perpendicular line or frame edge.
            let verticalLine = lines.isEmpty || lines.isStraight(along: .up)
            let horizontalLine = lines.isEmpty || lines.isStraight(along: .left)
            let verticalFrame = frame.isEmpty || frame.isStraight(along: .up)
            let horizontalFrame = frame.isEmpty || frame.isStraight(along: .left)
            cell.passHorizontally = verticalLine && verticalFrame
            cell.passVertically = horizontalLine && horizontalFrame
            cell.crossCost = (lines.isEmpty ? 0 : costs.crossLine) + (frame.isEmpty ? 0 : costs.crossFrame)
        }
        cells[point.y * width + point.x] = cell
    }

    private func contains(_ point: GridPoint) -> Bool {
        point.x >= 0 && point.x < width && point.y >= 0 && point.y < height
    }

    private func cell(_ point: GridPoint) -> Cell? {
        contains(point) ? cells[point.y * width + point.x] : nil
    }

    /// Cells from `start` to `end` inclusive. The path leaves `start` heading `startHeading`
    /// and enters `end` heading `endHeading`; nil when no path exists.
    func route(
        from start: GridPoint,
        heading startHeading: GridDirection,
        to end: GridPoint,
        arriving endHeading: GridDirection
    ) -> [GridPoint]? {
        guard cell(start)?.free == true, cell(end)?.free == true else { return nil }
        if start == end { return startHeading == endHeading ? [start] : nil }
        let stateCount = width * height * 4
        var best = [Int](repeating: Int.max, count: stateCount)
        var parent = [Int](repeating: -1, count: stateCount)
        func state(_ point: GridPoint, _ heading: GridDirection) -> Int {
            (point.y * width + point.x) * 4 + heading.rawValue
        }
        func point(of state: Int) -> GridPoint {
            let cell = state / 4
            return GridPoint(x: cell % width, y: cell / width)
        }
        // A*: every step costs at least `costs.step`, so this estimate never overshoots.
        func estimate(_ point: GridPoint) -> Int {
            (abs(point.x - end.x) + abs(point.y - end.y)) * costs.step
        }
        var queue = MinQueue()
        let first = state(start, startHeading)
        best[first] = 0
        queue.push(cost: estimate(start), state: first)
        while let (priority, current) = queue.pop() {
            let here = point(of: current)
            let cost = best[current]
            guard priority == cost + estimate(here) else { continue }
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
            let turnable = here != start && cells[here.y * width + here.x].free
            for next in GridDirection.allCases where next != heading.opposite {
                let turning = next != heading
                if turning && !turnable { continue }
                let target = here.moved(next)
                guard let enterCost = enterCost(target, heading: next, end: end, endHeading: endHeading) else { continue }
                let total = cost + enterCost + (turning ? costs.bend : 0)
                let nextState = state(target, next)
                if total < best[nextState] {
                    best[nextState] = total
                    parent[nextState] = current
                    queue.push(cost: total + estimate(target), state: nextState)
                }
            }
        }
        return nil
    }

    /// The cost of stepping into `point` while heading `heading`, or nil if that is not allowed.
    private func enterCost(_ point: GridPoint, heading: GridDirection, end: GridPoint, endHeading: GridDirection) -> Int? {
        guard let cell = cell(point) else { return nil }
        if point == end {
            return heading == endHeading && cell.free ? costs.step : nil
        }
        guard heading.isHorizontal ? cell.passHorizontally : cell.passVertically else { return nil }
        var cost = costs.step + cell.crossCost
        if cell.nearSolid { cost += costs.hugBox }
        let ahead = point.moved(heading)
        if ahead != end, self.cell(ahead)?.hasLine == true {
            cost += costs.touchLine
        }
        let sides: (GridDirection, GridDirection) = heading.isHorizontal ? (.up, .down) : (.left, .right)
        if self.cell(point.moved(sides.0))?.hasLine == true { cost += costs.besideLine }
        if self.cell(point.moved(sides.1))?.hasLine == true { cost += costs.besideLine }
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
