/// Counts per reason token in a fixed slot per reason kind, so counting an event is an array
/// increment (the daemon counts every decision) and printing is in slot order, never hash order.
struct ReasonCounts: Sendable, Hashable {
    private var tokens: [String?]
    private(set) var counts: [UInt64]

    init(slots: Int) {
        tokens = Array(repeating: nil, count: slots)
        counts = Array(repeating: 0, count: slots)
    }

    mutating func bump(_ slot: Int, token: @autoclosure () -> String) {
        if tokens[slot] == nil { tokens[slot] = token() }
        counts[slot] &+= 1
    }

    var total: UInt64 { counts.reduce(0, &+) }

    /// (token, count) for every reason seen, in slot order.
    var nonZero: [(token: String, count: UInt64)] {
        zip(tokens, counts).compactMap { token, count in token.map { ($0, count) } }
    }

    var text: String {
        let items = nonZero
        return items.isEmpty ? "" : " (" + items.map { "\($0.token) \($0.count)" }.joined(separator: ", ") + ")"
    }
}
