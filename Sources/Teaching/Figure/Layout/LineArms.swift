/// How a line is drawn. The order matters: where strokes meet, the strongest wins.
public enum LineStroke: Int, Sendable, Hashable, Comparable {
    /// Components and pipes.
    case light = 1
    /// The highlighted component.
    case heavy = 2
    /// Host frames.
    case double = 3

    public static func < (lhs: LineStroke, rhs: LineStroke) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The line arms leaving one cell (up to four), each with its stroke.
public struct LineArms: Sendable, Hashable {
    // Four fields rather than an array: the router reads millions of these.
    private var up: LineStroke?
    private var right: LineStroke?
    private var down: LineStroke?
    private var left: LineStroke?

    public init() {}

    public subscript(direction: GridDirection) -> LineStroke? {
        get {
            switch direction {
            case .up: up
            case .right: right
            case .down: down
            case .left: left
            }
        }
        set {
            switch direction {
            case .up: up = newValue
            case .right: right = newValue
            case .down: down = newValue
            case .left: left = newValue
            }
        }
    }

    public var isEmpty: Bool { up == nil && right == nil && down == nil && left == nil }

    /// Bit `d` set when an arm leaves toward direction `d` (up=1, right=2, down=4, left=8).
    public var mask: Int {
        var mask = 0
        for direction in GridDirection.allCases where self[direction] != nil {
            mask |= 1 << direction.rawValue
        }
        return mask
    }

    /// The strongest stroke among the arms.
    public var stroke: LineStroke {
        [up, right, down, left].compactMap { $0 }.max() ?? .light
    }

    /// A straight line running along `direction` (both ends) and nothing else.
    public func isStraight(along direction: GridDirection) -> Bool {
        mask == (1 << direction.rawValue | 1 << direction.opposite.rawValue)
    }

    /// Adds an arm, keeping the stronger stroke if one is there.
    public mutating func add(_ direction: GridDirection, _ stroke: LineStroke) {
        self[direction] = max(self[direction] ?? stroke, stroke)
    }
}
