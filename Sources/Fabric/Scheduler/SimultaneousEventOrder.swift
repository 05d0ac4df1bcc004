/// How the run loop orders events due at the same virtual instant.
public enum SimultaneousEventOrder: Sendable, Hashable {
    /// Scheduling order (a stable tie-break). No decision is made.
    case insertion
    /// The chooser picks which one runs next (``ChoiceKind/deliveryOrder``); offset 0 is
    /// scheduling order, so a canonical chooser gives the same run as ``insertion``.
    case chosen
}
