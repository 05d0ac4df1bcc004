/// A character cell: column `x` (0 = left) and row `y` (0 = top).
public struct GridPoint: Sendable, Hashable, CustomStringConvertible {
    public var x: Int
    public var y: Int

    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }

    public func moved(_ direction: GridDirection, by distance: Int = 1) -> GridPoint {
        GridPoint(x: x + direction.dx * distance, y: y + direction.dy * distance)
    }

    public var description: String { "(\(x),\(y))" }
}

/// A rectangle of cells, border included.
public struct GridRect: Sendable, Hashable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// Last column inside the rectangle.
    public var maxX: Int { x + width - 1 }
    /// Last row inside the rectangle.
    public var maxY: Int { y + height - 1 }

    public func contains(_ point: GridPoint) -> Bool {
        point.x >= x && point.x <= maxX && point.y >= y && point.y <= maxY
    }

    public var description: String { "\(width)x\(height)@(\(x),\(y))" }
}

/// One of the four ways a line can leave a cell; also the side of a box (the outward direction).
public enum GridDirection: Int, Sendable, Hashable, CaseIterable {
    case up = 0
    case right = 1
    case down = 2
    case left = 3

    public var dx: Int {
        switch self {
        case .left: -1
        case .right: 1
        case .up, .down: 0
        }
    }

    public var dy: Int {
        switch self {
        case .up: -1
        case .down: 1
        case .left, .right: 0
        }
    }

    public var opposite: GridDirection {
        switch self {
        case .up: .down
        case .down: .up
        case .left: .right
        case .right: .left
        }
    }

    public var isHorizontal: Bool { self == .left || self == .right }
}
