/// Names one walk of one frame through the net core: a send by a client, or one injection by a
/// filter. Numbered from 1 in the order walks start, so it is deterministic.
public struct WalkID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let number: Int

    public init(_ number: Int) {
        self.number = number
    }

    public static func < (lhs: WalkID, rhs: WalkID) -> Bool { lhs.number < rhs.number }

    public var description: String { "w\(number)" }
}
