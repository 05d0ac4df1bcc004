/// A grid of character cells drawn in layers: host frames at the bottom, then lines (boxes,
/// lanes, pipes), then marks (text and arrowheads). Rendering picks one glyph per cell from a
/// `GlyphSet`, so the same drawing comes out in ASCII or in Unicode box drawing.
struct CharacterCanvas {
    enum Mark: Hashable {
        case text(Character)
        case arrow(GridDirection)
    }

    let width: Int
    private(set) var height: Int
    private var frames: [LineArms]
    private var lines: [LineArms]
    private var marks: [Mark?]
    /// Cells a pipe must not enter: box areas and text.
    private var solid: [Bool]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        frames = Array(repeating: LineArms(), count: width * height)
        lines = frames
        marks = Array(repeating: nil, count: width * height)
        solid = Array(repeating: false, count: width * height)
    }

    func contains(_ point: GridPoint) -> Bool {
        point.x >= 0 && point.x < width && point.y >= 0 && point.y < height
    }

    private func index(_ point: GridPoint) -> Int? {
        contains(point) ? point.y * width + point.x : nil
    }

    // MARK: Queries

    func lineArms(at point: GridPoint) -> LineArms {
        index(point).map { lines[$0] } ?? LineArms()
    }

    func frameArms(at point: GridPoint) -> LineArms {
        index(point).map { frames[$0] } ?? LineArms()
    }

    func mark(at point: GridPoint) -> Mark? {
        index(point).flatMap { marks[$0] }
    }

    func isSolid(_ point: GridPoint) -> Bool {
        index(point).map { solid[$0] } ?? true
    }

    // MARK: Drawing

    /// Joins two neighbouring cells with a line segment.
    mutating func connect(_ a: GridPoint, _ b: GridPoint, stroke: LineStroke, frame: Bool = false) {
        guard let direction = Self.direction(from: a, to: b) else { return }
        addArm(at: a, direction, stroke, frame: frame)
        addArm(at: b, direction.opposite, stroke, frame: frame)
    }

    mutating func addArm(at point: GridPoint, _ direction: GridDirection, _ stroke: LineStroke, frame: Bool = false) {
        guard let index = index(point) else { return }
        if frame {
            frames[index].add(direction, stroke)
        } else {
            lines[index].add(direction, stroke)
        }
    }

    /// Draws a polyline through `points`; each consecutive pair must share a row or a column.
    mutating func drawPolyline(_ points: [GridPoint], stroke: LineStroke, frame: Bool = false) {
        for (start, end) in zip(points, points.dropFirst()) {
            var current = start
            while current != end {
                guard let direction = Self.direction(toward: end, from: current) else { break }
                let next = current.moved(direction)
                connect(current, next, stroke: stroke, frame: frame)
                current = next
            }
        }
    }

    mutating func drawRectangle(_ rect: GridRect, stroke: LineStroke, frame: Bool = false) {
        let corners = [
            GridPoint(x: rect.x, y: rect.y), GridPoint(x: rect.maxX, y: rect.y),
            GridPoint(x: rect.maxX, y: rect.maxY), GridPoint(x: rect.x, y: rect.maxY),
            GridPoint(x: rect.x, y: rect.y),
        ]
        drawPolyline(corners, stroke: stroke, frame: frame)
    }

    /// Writes text from `point` rightwards; characters beyond the canvas are dropped.
    mutating func write(_ text: String, at point: GridPoint, solid makeSolid: Bool = true) {
        var cursor = point
        for character in text {
            if let index = index(cursor) {
                marks[index] = .text(character)
                if makeSolid { solid[index] = true }
            }
            cursor = cursor.moved(.right)
        }
    }

    mutating func putArrow(_ direction: GridDirection, at point: GridPoint) {
        guard let index = index(point) else { return }
        marks[index] = .arrow(direction)
        solid[index] = true
    }

    /// Marks a rectangle as an obstacle for pipes.
    mutating func makeSolid(_ rect: GridRect) {
        guard rect.width > 0, rect.height > 0 else { return }
        for y in rect.y...rect.maxY {
            for x in rect.x...rect.maxX {
                if let index = index(GridPoint(x: x, y: y)) { solid[index] = true }
            }
        }
    }

    /// Clears the line arms of a cell (the lines layer only).
    mutating func clearLines(at point: GridPoint) {
        guard let index = index(point) else { return }
        lines[index] = LineArms()
    }

    // MARK: Rendering

    /// One string per row, trailing spaces removed. Marks win over lines; lines win over frames,
    /// so a pipe crossing a host frame leaves a visible gap in the frame.
    func render(_ glyphs: GlyphSet) -> [String] {
        (0..<height).map { y in
            var row = ""
            for x in 0..<width {
                let index = y * width + x
                switch marks[index] {
                case .text(let character): row.append(character)
                case .arrow(let direction): row.append(glyphs.arrow(direction))
                case nil:
                    if !lines[index].isEmpty {
                        row.append(glyphs.line(lines[index]))
                    } else {
                        row.append(glyphs.line(frames[index]))
                    }
                }
            }
            while row.last == " " { row.removeLast() }
            return row
        }
    }

    static func direction(from a: GridPoint, to b: GridPoint) -> GridDirection? {
        GridDirection.allCases.first { a.moved($0) == b }
    }

    static func direction(toward target: GridPoint, from point: GridPoint) -> GridDirection? {
        if target.x > point.x { return .right }
        if target.x < point.x { return .left }
        if target.y > point.y { return .down }
        if target.y < point.y { return .up }
        return nil
    }
}
