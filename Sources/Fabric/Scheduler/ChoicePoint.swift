/// What sort of nondeterministic decision is being made. Kinds let a fuzzer or a report group
/// decisions ("all latency draws") without parsing labels.
public enum ChoiceKind: String, Sendable, Hashable, CaseIterable {
    /// Which of several events due at the same virtual instant runs first.
    case deliveryOrder
    /// Where a byte stream is cut into read chunks.
    case chunkSplit
    /// A base delay before something happens.
    case latency
    /// A variable extra delay added to a base latency.
    case jitter
    /// A TCP initial sequence number.
    case initialSequenceNumber
    /// An IPv4 identification field.
    case ipIdentification
    /// Whether something is lost or dropped.
    case loss
    /// Workload shape: sizes, counts, payload contents.
    case workload
    /// Anything not covered above; say what in the label.
    case other
}

/// A named place in the simulation where a decision is made: the kind plus a label naming the
/// component, e.g. `(.chunkSplit, "pipe mirror0->red0")`.
public struct ChoicePoint: Sendable, Hashable, CustomStringConvertible {
    public var kind: ChoiceKind
    public var label: String

    public init(_ kind: ChoiceKind, _ label: String) {
        self.kind = kind
        self.label = label
    }

    public var description: String { "\(kind.rawValue):\(label)" }
}

extension ChoicePoint {
    /// The run loop's choice among events due at the same instant (``SimultaneousEventOrder/chosen``).
    public static let simultaneousEvents = ChoicePoint(.deliveryOrder, "scheduler")
}
