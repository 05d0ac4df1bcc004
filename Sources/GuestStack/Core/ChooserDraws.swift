import Fabric

extension Chooser {
    /// An unsigned draw in `range` (offset 0 is the lower bound).
    @inline(__always)
    func draw(_ point: ChoicePoint, _ range: ClosedRange<UInt64>) -> UInt64 {
        range.lowerBound + choose(point, upTo: range.upperBound - range.lowerBound)
    }
}
