import Yams
import Fabric
import COLORuntime

extension NodeReader {
    /// A time or a window of times: `50ms`, or `45ms..55ms` (both ends with a unit, start ≤ end).
    /// A window whose ends are equal is the fixed instant.
    func window(_ node: Node, _ what: String) -> ClosedRange<VirtualDuration>? {
        guard case .scalar(let scalar) = node, let separator = scalar.string.range(of: "..") else {
            return duration(node, what).map { $0...$0 }
        }
        let text = scalar.string
        let shape = "expected \(what) as a duration or a window START..END, each with a unit (ns, us, ms, s), e.g. 45ms..55ms"
        guard !text.contains("...") else {
            error(at: node, "\(shape); got \(Self.shown(node)) (a window has two dots)")
            return nil
        }
        let ends = [String(text[..<separator.lowerBound]), String(text[separator.upperBound...])]
        var values: [VirtualDuration] = []
        for (name, end) in zip(["start", "end"], ends) {
            let trimmed = end.trimmingCharacters(in: .whitespaces)
            guard let value = VirtualDuration(parsing: trimmed, notation: .scenarioFile) else {
                let hint = trimmed.isEmpty ? " (its \(name) is missing)"
                    : Double(trimmed) != nil && trimmed != "0" ? " (its \(name) '\(trimmed)' has no unit)"
                    : " (its \(name) '\(trimmed)' is not a duration)"
                error(at: node, "\(shape); got \(Self.shown(node))\(hint)")
                return nil
            }
            guard value.nanoseconds >= 0 else {
                error(at: node, "expected \(what) to be zero or more, got \(Self.shown(node))")
                return nil
            }
            guard value <= RunLimits.longestDuration else {
                error(at: node, "expected \(what) of at most 100 days, got \(Self.shown(node))")
                return nil
            }
            values.append(value)
        }
        guard values[0] <= values[1] else {
            error(at: node, "expected \(what) as a window START..END with START ≤ END, got \(Self.shown(node)) (it ends before it starts)")
            return nil
        }
        return values[0]...values[1]
    }
}
